"""Grant the app's database role its rights: rows only, and on audit events only SELECT and INSERT (SEC-3)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.db_roles import RoleError, app_role_grant


class Command(BaseCommand):
    help = "以表的所有者身份运行：授予应用数据库账号增删改查权限，审计事件只可查询和追加（可重复运行）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--role", required=True, help=_("应用连接数据库所用的账号，如 registrar_app"))
        parser.add_argument("--schema", default="public")

    def handle(self, *args, role: str, schema: str, **options) -> None:
        try:
            app_role_grant(role=role, schema=schema)
        except RoleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(_("已授予 %(role)s 应用权限；审计事件只可查询和追加") % {"role": role})
        )
