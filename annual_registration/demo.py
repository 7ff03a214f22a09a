"""Demo data of annual registration, loaded by ``load_demo`` through the real services.

This academic year's roll is open; finance's fee sheet is in (most paid, some
unpaid, some with a loan); the first college's list waits for the registrar,
the second college's is approved, the third has a draft.
"""

from __future__ import annotations

from annual_registration import demo_changes
from annual_registration.models import AnnualRegistration
from annual_registration.services import annual_roll_open, fee_import, parse_fees
from registrar import batches
from registrar.batch_kinds import ItemInput
from registrar.models import BatchKind, User
from registrar.sheets.writers import xlsx

KIND = BatchKind.ANNUAL_REGISTRATION


def load(ctx) -> None:
    registrar: User = ctx.users["registrar"]
    year = ctx.terms[max(ctx.terms)].academic_year
    term = ctx.terms[year.start_year]
    annual_roll_open(actor=registrar, academic_year=year)
    numbers = list(
        AnnualRegistration.objects.filter(academic_year=year)
        .order_by("student__student_number")
        .values_list("student__student_number", flat=True)
    )
    statuses = [ctx.rng.choice(["已缴费"] * 10 + ["未缴费", "助学贷款"]) for _number in numbers]
    content = xlsx(["学号", "缴费情况"], zip(numbers, statuses, strict=True), "缴费情况")
    result = fee_import(
        actor=registrar,
        academic_year=year,
        sheet=parse_fees(content, "财务处缴费情况.xlsx"),
        file_name="财务处缴费情况.xlsx",
    )
    assert result.ok, result.errors
    staff = {0: ctx.users["college_a_staff"], 1: ctx.users["college_b_staff"]}
    for index, college in enumerate(ctx.colleges[:3]):
        actor = staff.get(index, registrar)
        batch = batches.batch_create(
            actor=actor,
            kind=KIND,
            college=college,
            term=term,
            title=f"{year.start_year}-{year.start_year + 1}学年注册名单（{college.name}）",
        )
        if index == 2:
            _draft(actor, batch, year)
            continue
        batches.batch_items_fill(actor=actor, batch_id=batch.pk, kind=KIND)
        batches.batch_submit(actor=actor, batch_id=batch.pk, kind=KIND)
        if index == 1:
            batches.batch_approve(
                actor=registrar,
                batch_id=batch.pk,
                kind=KIND,
                document_number=f"教学〔{year.start_year}〕21号",
            )
    demo_changes.load(ctx)


def _draft(actor: User, batch, year) -> None:
    """A few students marked by hand: a draft the college has begun."""
    first = AnnualRegistration.objects.filter(college_id=batch.college_id, academic_year=year).select_related(
        "student"
    )[:3]
    items = [ItemInput(key=r.student.student_number, outcome="register") for r in first]
    batches.batch_items_save(actor=actor, batch_id=batch.pk, kind=KIND, items=items, replace=False)
