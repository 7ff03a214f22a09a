"""Load the demo school (once); `make run` calls it on every start."""

from django.core.management.base import BaseCommand

from registrar.demo import demo_loaded, load_demo


class Command(BaseCommand):
    help = "载入演示数据：一所学校、多个学院和专业、500名以上学生及各角色账号（已载入则跳过）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--students", type=int, default=560)

    def handle(self, *args, students: int, **options) -> None:
        if demo_loaded():
            self.stdout.write("演示数据已存在，跳过载入")
            return
        ctx = load_demo(students=students)
        self.stdout.write(
            self.style.SUCCESS(f"已载入演示数据：{len(ctx.colleges)}个学院，{len(ctx.students)}名学生")
        )
