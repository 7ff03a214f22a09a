"""Demo data of diploma registration, loaded by ``load_demo`` through the real services.

Two cohorts:

- a registered cohort (毕业日期 30 June): the colleges' outcome lists approved
  (毕业, a few 结业, one 肄业), their certificates registered with 18-digit
  numbers in college order; since then a 辅修 note (10 July), a 证明书 for a lost
  certificate (15 September), a correction approved by the province (20 September;
  a second version, the first kept), a correction still waiting, and, once 30 October
  has come, a 结业 graduate exchanged for 毕业. None of these dates is after today:
  the cohort is last summer's from 20 September on and the summer before's until
  then (``registered_graduation_year``), so the demo loads on any day of the year.
  They studied before this system, so their admission data and earlier annual
  registrations are not here (nor is their last academic year the roll the annual
  demo opens, which the pre-check would hold against them: ANN-9). Their photos were
  captured in the spring before and confirmed (``demo_photos.load_checked``); the
  registrar passes the graduates the pre-check report (DIP-10) passes to
  ``certificates_precheck``.
- next summer's expected graduates (the first graduation after today): the list is
  built, the agency's photos are in with a few problems for the pre-check to show
  (``demo_photos.load``), and the outcome lists wait.
"""

from __future__ import annotations

import datetime

from audit.services import EventSpec, audit_record_many
from diploma import demo_photos
from diploma.models import Certificate, CertificateKind, ExpectedGraduate
from diploma.precheck import precheck_report
from diploma.services.annotations import attestation_issue, completion_exchange, minor_annotate
from diploma.services.certificates import certificates_precheck, certificates_register
from diploma.services.corrections import CorrectionInput, correction_approve, correction_request
from diploma.services.graduates import expected_graduates_build
from diploma.services.numbers import NumberOrder
from registrar import batches
from registrar.batch_kinds import ItemInput
from registrar.demo import REGIONS, _name
from registrar.idcard import make_id_number
from registrar.models import BatchKind, Student, Term, User

KIND = BatchKind.GRADUATION_OUTCOME
PER_MAJOR = 6


# After registration, (month, day) of the graduation year: 辅修 (DIP-8), 证明书 (DIP-7), the approved
# correction (DIP-6) and the 结业→毕业 exchange at the end of October (DIP-11).
MINOR_ON = (7, 10)
ATTESTED_ON = (9, 15)
CORRECTED_ON = (9, 20)
EXCHANGED_ON = (10, 30)


def last_graduation_year(today: datetime.date) -> int:
    """The latest summer graduation on or before today."""
    return today.year if today >= datetime.date(today.year, 6, 30) else today.year - 1


def registered_graduation_year(today: datetime.date) -> int:
    """The cohort the demo shows registered (DIP-6, DIP-7): the latest whose 证明书 and correction dates have passed.

    Last summer's from its correction's day (20 September) on; until then the summer before's. (Until
    September the roll the annual demo opens is last summer's graduates' final academic year, which
    they are not registered on: the pre-check would refuse them, ANN-9.) The 结业→毕业 exchange
    (30 October, DIP-11) is the one step left out while it is still to come.
    """
    year = last_graduation_year(today)
    return year if datetime.date(year, *CORRECTED_ON) <= today else year - 1


def _graduating_students(ctx, year: int) -> list[Student]:
    """Students of colleges A and B who entered four years before ``year`` (the core's grades start later)."""
    rng, students = ctx.rng, []
    majors = [m for m in ctx.majors if m.college in ctx.colleges[:2] and m.program_years == 4]
    for n, major in enumerate(m for m in majors for _ in range(PER_MAJOR)):
        grade, gender, region = year - 4, rng.choice(("1", "2")), rng.choice(REGIONS)
        birth = datetime.date(grade - 18, rng.randint(1, 12), rng.randint(1, 28))
        students.append(
            Student(
                name=_name(rng),
                gender=gender,
                ethnicity=rng.choice(["01"] * 9 + ["03", "08"]),
                birth_date=birth,
                id_number=make_id_number(region, birth, 5000 + n, gender),
                exam_number=f"{grade % 100:02d}{region}{5000 + n:06d}",
                student_number=f"{grade}{major.college.code}{5000 + n:05d}",
                political_status=rng.choice(["01", "03", "13"]),
                college=major.college,
                major=major,
                level=major.level,
                program_years=major.program_years,
                entry_date=datetime.date(grade, 9, 1),
                expected_graduation_date=datetime.date(year, 6, 30),
                class_name=f"{major.name}{grade % 100}1班",
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


def _outcome_lists(ctx, year: int) -> None:
    """Each college's list of ``year``: all 毕业, two 结业 and one 肄业 in the first; approved."""
    registrar: User = ctx.users["registrar"]
    term = Term.objects.get(academic_year__start_year=year - 1, number=2)
    staff = {
        ctx.colleges[0].pk: ctx.users["college_a_staff"],
        ctx.colleges[1].pk: ctx.users["college_b_staff"],
    }
    colleges = {
        g.college for g in ExpectedGraduate.objects.filter(graduation_year=year).select_related("college")
    }
    for index, college in enumerate(sorted(colleges, key=lambda c: c.code)):
        actor = staff.get(college.pk, registrar)
        batch = batches.batch_create(
            actor=actor,
            kind=KIND,
            college=college,
            term=term,
            title=f"{year}届毕业结论名单（{college.name}）",
        )
        batches.batch_items_fill(actor=actor, batch_id=batch.pk, kind=KIND)
        if index == 0:
            numbers = list(
                ExpectedGraduate.objects.filter(graduation_year=year, college=college)
                .order_by("student__student_number")
                .values_list("student__student_number", flat=True)[:3]
            )
            marks = [
                ItemInput(key=numbers[0], outcome="completed", reason="缺4学分"),
                ItemInput(key=numbers[1], outcome="completed", reason="毕业论文未通过答辩"),
                ItemInput(key=numbers[2], outcome="attended", reason="学满一年以上，未完成学业"),
            ]
            batches.batch_items_save(actor=actor, batch_id=batch.pk, kind=KIND, items=marks, replace=False)
        batches.batch_submit(actor=actor, batch_id=batch.pk, kind=KIND)
        batches.batch_approve(
            actor=registrar, batch_id=batch.pk, kind=KIND, document_number=f"教务〔{year}〕{30 + index}号"
        )


def _after_registration(ctx, year: int) -> None:
    """证明书, 辅修, corrections and a 结业→毕业 exchange on the registered certificates (DIP-6 to DIP-11)."""
    registrar: User = ctx.users["registrar"]
    graduation = list(
        Certificate.objects.filter(graduation_year=year, kind=CertificateKind.GRADUATION, state="registered")
        .order_by("certificate_number")
        .values_list("pk", "ethnicity", "birth_date")
    )
    lost, minor = graduation[3][0], graduation[4][0]
    # A correction must change something (DIP-6): the first certificates whose registered value differs.
    corrected = next(pk for pk, ethnicity, _birth in graduation[5:] if ethnicity != "03")
    wrong_birth = datetime.date(year - 22, 3, 1)
    waiting = next(pk for pk, _ethnicity, birth in graduation[5:] if pk != corrected and birth != wrong_birth)
    autumn = datetime.date(year, *EXCHANGED_ON)
    attestation_issue(
        actor=registrar,
        certificate_id=lost,
        issued_on=datetime.date(year, *ATTESTED_ON),
        reason="毕业证书在搬家时遗失，本人申请出具证明书",
        document_number=f"教务〔{year}〕52号",
    )
    minor_annotate(
        actor=registrar,
        certificate_id=minor,
        minor_major="金融学",
        annotated_on=datetime.date(year, *MINOR_ON),
        document_number=f"教务〔{year}〕40号",
    )
    case = correction_request(
        actor=registrar,
        certificate_id=corrected,
        data=CorrectionInput(
            changes={"ethnicity": "03"},
            reason="民族登记错误，户籍为回族",
            evidence_note="户口簿、身份证复印件",
        ),
    )
    correction_approve(
        actor=registrar,
        correction_id=case.pk,
        authority="省教育厅",
        document_number=f"教学函〔{year}〕118号",
        approved_on=datetime.date(year, *CORRECTED_ON),
    )
    correction_request(
        actor=registrar,
        certificate_id=waiting,
        data=CorrectionInput(
            changes={"birth_date": wrong_birth.isoformat()},
            reason="出生日期与身份证不一致",
            evidence_note="身份证复印件",
        ),
    )
    completed = (
        Certificate.objects.filter(graduation_year=year, kind=CertificateKind.COMPLETION, state="registered")
        .order_by("certificate_number")
        .first()
    )
    if completed is not None and autumn <= ctx.today:
        completion_exchange(
            actor=registrar,
            certificate_id=completed.pk,
            decided_on=autumn,
            document_number=f"教务〔{year}〕61号",
            reason="补修学分合格，达到毕业要求",
        )


def load(ctx) -> None:
    registrar: User = ctx.users["registrar"]
    year = registered_graduation_year(ctx.today)
    _graduating_students(ctx, year)
    expected_graduates_build(actor=registrar, graduation_year=year)
    _outcome_lists(ctx, year)
    graduates = ExpectedGraduate.objects.filter(graduation_year=year).select_related("student")
    demo_photos.load_checked(ctx, list(graduates), captured_on=datetime.date(year - 1, 4, 16))
    # 预审 (DIP-10): the graduates it passes get their certificates; the service checks them again.
    certificates_precheck(registrar, precheck_report(registrar, year).passed_ids)
    certificates_register(actor=registrar, order=NumberOrder.COLLEGE)
    _after_registration(ctx, year)
    # Next summer's cohort: built, waiting for photos and outcomes.
    coming = last_graduation_year(ctx.today) + 1
    expected_graduates_build(actor=registrar, graduation_year=coming)
    cohort = list(ExpectedGraduate.objects.filter(graduation_year=coming).select_related("student"))
    demo_photos.load(ctx, cohort, featured=ctx.featured_student)
