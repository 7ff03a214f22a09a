"""import_admissions PATH --year YYYY [--dry-run]: 录取数据导入 from the command line (ENR-1)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enrollment.imports import parse_admissions
from enrollment.services import admission_import
from registrar.models import User
from registrar.roles import Role
from registrar.services import DomainError
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload


class Command(BaseCommand):
    help = "导入录取数据（xlsx 或 DBF）；有任何错误时逐行列出并以非零状态退出，不写入任何数据"

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, required=True, help="招生年份，如 2026")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--user", default="", help="以该教务处账号的名义导入（默认：系统）")

    def handle(self, *args, path: Path, year: int, dry_run: bool, user: str, **options) -> None:
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, role__in=[Role.REGISTRAR, Role.ADMIN]).first()
            if actor is None:
                raise CommandError(f"没有教务处账号 {user}")
        try:
            with path.open("rb") as upload:
                content = read_upload(upload)
        except FileFormatError as exc:
            raise CommandError(str(exc)) from exc
        sheet = parse_admissions(content, path.name)
        try:
            result = admission_import(
                actor=actor, year=year, sheet=sheet, file_name=path.name, dry_run=dry_run
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"共{len(result.errors)}处错误，未导入任何数据")
        prefix = "（试运行，未写入）" if dry_run else ""
        self.stdout.write(
            f"{prefix}共{result.rows}行：新增{result.created}，更新{result.updated}，未变化{result.unchanged}，"
            f"已审查未更新{len(result.skipped)}，重名重号待核查{len(result.flagged)}"
        )
        for exam_number in result.skipped:
            self.stdout.write(f"已审查未更新：{exam_number}")
        for exam_number in result.flagged:
            self.stdout.write(f"重名重号待核查：{exam_number}")
