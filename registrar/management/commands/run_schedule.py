"""Run the scheduled jobs in this process (the demo's stand-in for Celery beat and a worker)."""

from django.core.management.base import BaseCommand

from registrar.schedule import run_forever


class Command(BaseCommand):
    help = "在本进程内按计划运行定时任务（未配置 CELERY_BROKER_URL 时使用）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--poll", type=float, default=30.0)

    def handle(self, *args, poll: float, **options) -> None:
        self.stdout.write("定时任务已在本进程启动")
        run_forever(poll)
