"""python manage.py scan_deadlines [--as-of YYYY-MM-DD]: the daily deadline scan, by hand."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from deadlines.scan import deadline_scan


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "时限检查：计算逾期、办结与提醒（与每日定时任务相同）"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="按此日期检查（YYYY-MM-DD），默认今天")

    def handle(self, *args, as_of: str | None = None, **options):
        day = parse_day(as_of) if as_of else None
        result = deadline_scan(as_of=day)
        counts = result.counts()
        self.stdout.write(
            f"时限检查 {result.as_of:%Y-%m-%d}：规则{counts['rules']}条，新增逾期{counts['opened']}，"
            f"办结{counts['resolved']}，重新打开{counts['reopened']}，撤销{counts['withdrawn']}，"
            f"提醒{counts['reminders']}"
        )
        if result.skipped:
            self.stdout.write(f"未检查（对象种类尚未注册）：{', '.join(result.skipped)}")
