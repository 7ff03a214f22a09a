"""Check the audit chain against its signed checkpoints and report the first broken link (SEC-3, SEC-6)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.chain import chain_check
from audit.checkpoints import checkpoint_write, checkpoints_read


class Command(BaseCommand):
    help = "核对审计事件哈希链及其签名检查点，报告第一个断开的位置"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--checkpoint", action="store_true", help=_("核对无误后，写入一个签名检查点（记录当前链尾）")
        )

    def handle(self, *args, **options) -> None:
        checkpoints = checkpoints_read()
        head, broken = chain_check(checkpoints=checkpoints)
        if broken is not None:
            raise CommandError(broken.describe())
        self.stdout.write(
            self.style.SUCCESS(
                _("审计链完整：共核对%(count)s条事件，与%(checkpoints)s个签名检查点一致")
                % {"count": head.count, "checkpoints": len(checkpoints)}
            )
        )
        if options["checkpoint"] and checkpoint_write(head=head) is not None:
            self.stdout.write(_("已写入检查点：第%(count)s条事件（id=%(last_id)s）") % head.__dict__)
