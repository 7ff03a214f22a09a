"""Demo data: one school, colleges with majors, 500+ students across grades in varied statuses.

Each domain app may add its own part in ``<app>/demo.py`` with ``load(ctx)``;
they run in the order of ``DEMO_APPS`` after the core.
"""

from __future__ import annotations

import datetime
import importlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audit.services import EventSpec, audit_record_many
from registrar.idcard import make_id_number
from registrar.models import AcademicYear, College, Major, School, Student, Term, User
from registrar.roles import Role
from registrar.services import student_change_status, user_create, user_set_credentials

DEMO_APPS = ["enrollment", "annual_registration", "diploma", "deadlines"]

# username → (role, password, what the login shows); printed by `make run`.
DEMO_LOGINS = {
    "admin": (Role.ADMIN, "Demo-admin-2026", "系统管理员"),
    "registrar": (Role.REGISTRAR, "Demo-registrar-2026", "教务处学籍管理员"),
    "college_a_staff": (Role.COLLEGE_STAFF, "Demo-college-a-2026", "计算机学院学籍员"),
    "college_b_staff": (Role.COLLEGE_STAFF, "Demo-college-b-2026", "外国语学院学籍员"),
    "auditor": (Role.AUDITOR, "Demo-auditor-2026", "审计人员（只读）"),
    "student_a": (Role.STUDENT, "Demo-student-2026", "学生（计算机学院）"),
    # Opened by diploma/demo_photos.py: a graduating student whose photo check is open.
    "graduate_a": (Role.STUDENT, "Demo-graduate-2026", "预计毕业生（照片待校对）"),
}

COLLEGES = [
    ("01", "计算机学院", [("080901", "计算机科学与技术", "05", "4"), ("080902", "软件工程", "05", "4")]),
    ("02", "外国语学院", [("050201", "英语", "05", "4"), ("050207", "日语", "05", "4")]),
    (
        "03",
        "机械工程学院",
        [("080202", "机械设计制造及其自动化", "05", "4"), ("460104", "机械制造及自动化", "06", "3")],
    ),
    ("04", "医学院", [("100201", "临床医学", "05", "5")]),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫宇轩泽浩然子涵欣怡梓萱思雨"
REGIONS = ["110101", "120102", "130102", "210203", "220102", "310104", "320102", "330106", "370102", "440106"]


@dataclass
class DemoContext:
    school: School
    colleges: list[College]
    majors: list[Major]
    terms: dict[int, Term]
    users: dict[str, User]
    rng: random.Random
    today: datetime.date
    students: list[Student] = field(default_factory=list)
    # The student behind the demo's student login; an app may offer a richer one (e.g. a registered freshman).
    featured_student: Student | None = None


def demo_loaded() -> bool:
    return School.objects.exists()


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _students(ctx: DemoContext, count: int) -> list[Student]:
    """``count`` students spread over four grades, all in school at first."""
    rng, students = ctx.rng, []
    for n in range(count):
        major = ctx.majors[n % len(ctx.majors)]
        grade = ctx.today.year - (n % 4) - (0 if ctx.today.month >= 9 else 1)
        gender = rng.choice(("1", "2"))
        birth = datetime.date(grade - 18, rng.randint(1, 12), rng.randint(1, 28))
        region = rng.choice(REGIONS)
        students.append(
            Student(
                name=_name(rng),
                gender=gender,
                ethnicity=rng.choice(["01"] * 9 + ["03", "08", "11"]),
                birth_date=birth,
                id_number=make_id_number(region, birth, n, gender),
                exam_number=f"{grade % 100:02d}{region}{n:06d}",
                student_number=f"{grade}{major.college.code}{n:05d}",
                political_status=rng.choice(["03", "03", "13", "01"]),
                college=major.college,
                major=major,
                level=major.level,
                program_years=major.program_years,
                entry_date=datetime.date(grade, 9, 1),
                expected_graduation_date=datetime.date(grade + int(major.program_years), 6, 30),
                class_name=f"{major.name}{grade % 100}{n % 3 + 1}班",
            )
        )
    created = Student.objects.bulk_create(students)
    audit_record_many(
        [
            EventSpec(action="registrar.student.demo_create", subject=s, actor=ctx.users["registrar"])
            for s in created
        ]
    )
    return created


def _vary_statuses(ctx: DemoContext) -> None:
    """Move some students out of 在籍 through the real service, with reasons and 文号."""
    registrar = ctx.users["registrar"]
    plan = [("suspend", "病休", 12), ("retain", "应征入伍，保留学籍", 6), ("deregister", "本人申请退学", 8)]
    pool = iter(ctx.students[40:])
    for transition, reason, count in plan:
        for n in range(count):
            student = next(pool)
            student_change_status(
                actor=registrar,
                student_id=student.pk,
                transition=transition,
                reason=reason,
                document_number=f"校学籍〔{ctx.today.year}〕{n + 1}号",
            )


@transaction.atomic
def load_demo(*, students: int = 560, seed: int = 2026) -> DemoContext:
    """Create the demo school; refuse to run twice."""
    if demo_loaded():
        raise RuntimeError("demo data is already loaded")
    today = timezone.localdate()
    school = School.objects.create(code="10999", name="示范大学", president_name="王建国")
    colleges, majors = [], []
    for code, name, major_rows in COLLEGES:
        college = College.objects.create(code=code, name=name)
        colleges.append(college)
        for m_code, m_name, level, years in major_rows:
            majors.append(
                Major.objects.create(
                    code=m_code, name=m_name, college=college, level=level, program_years=Decimal(years)
                )
            )
    terms = {}
    first_year = today.year - (0 if today.month >= 9 else 1)
    for start_year in range(first_year - 4, first_year + 1):
        year = AcademicYear.objects.create(start_year=start_year)
        terms[start_year] = Term.objects.create(
            academic_year=year, number=1, start_date=_first_monday(datetime.date(start_year, 9, 1))
        )
        Term.objects.create(
            academic_year=year, number=2, start_date=_first_monday(datetime.date(start_year + 1, 2, 25))
        )

    users: dict[str, User] = {}
    for username, (role, password, label) in DEMO_LOGINS.items():
        if role == Role.STUDENT:
            continue
        users[username] = user_create(
            actor=None,
            username=username,
            password=password,
            role=role,
            full_name=label,
            colleges={"college_a_staff": colleges[:1], "college_b_staff": colleges[1:2]}.get(username, ()),
        )
    ctx = DemoContext(
        school=school,
        colleges=colleges,
        majors=majors,
        terms=terms,
        users=users,
        rng=random.Random(seed),
        today=today,
    )
    ctx.students = _students(ctx, students)
    _vary_statuses(ctx)
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.load(ctx)
    role, password, label = DEMO_LOGINS["student_a"]
    student = ctx.featured_student or ctx.students[0]
    account = User.objects.filter(student=student).first()
    if account is not None:  # registration already opened an account for this freshman
        users["student_a"] = user_set_credentials(
            actor=users["registrar"], user_id=account.pk, username="student_a", password=password
        )
    else:
        users["student_a"] = user_create(
            actor=users["registrar"],
            username="student_a",
            password=password,
            role=role,
            full_name=label,
            student=student,
        )
    return ctx


def _first_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)
