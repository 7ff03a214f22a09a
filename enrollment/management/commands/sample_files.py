"""manage.py sample_files [directory]: write the sample admission and review files (default ``fixtures/``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from enrollment.samples import write_sample_files


class Command(BaseCommand):
    help = "写出示例文件：补录录取数据（xlsx、GBK DBF）和计算机学院的审查结果表。"

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(Path(settings.BASE_DIR) / "fixtures"))

    def handle(self, *args, directory: str, **options):
        for path in write_sample_files(Path(directory)):
            self.stdout.write(str(path))
