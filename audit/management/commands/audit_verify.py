"""Check the audit chain and report the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify_chain


class Command(BaseCommand):
    help = "核对审计事件哈希链，报告第一个断开的位置"

    def handle(self, *args, **options) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"审计链在第{broken.position}条事件（id={broken.event_id}）处断开：{broken.reason}"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完整：共核对{checked}条事件"))
