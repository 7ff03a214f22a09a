"""Print the demo's address and logins."""

from django.core.management.base import BaseCommand

from registrar.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "打印演示系统地址和各角色登录账号"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url: str, **options) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"学籍学历电子注册 演示系统：{url}"))
        self.stdout.write(f"  教职工登录：{url}admin/    学生登录：{url}accounts/login/")
        for username, (_role, password, label) in DEMO_LOGINS.items():
            self.stdout.write(f"  {label:<16}  用户名 {username:<16} 密码 {password}")
        self.stdout.write("")
