"""Demo data of freshman registration, loaded by ``load_demo`` through the real services.

Two entering years: last year's freshmen went through review and approval
(registered, forfeited, cancelled, deferred; some 复查 passed, some overdue,
some deferrals past their end); this year's are imported, with a draft and a
submitted review list for the first college.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings

from enrollment import samples
from enrollment.imports import ADMISSION_COLUMNS, parse_admissions
from enrollment.models import AdmissionRecord, AdmissionState
from enrollment.services import (
    ItemInput,
    admission_import,
    admission_rereview,
    admission_transition,
    default_deferral_end,
    review_batch_approve,
    review_batch_create,
    review_batch_submit,
    review_items_save,
)
from registrar.idcard import make_id_number
from registrar.sheets.writers import xlsx

# Regions of origin of the demo freshmen; distinct from the core demo's, so that no id number repeats.
REGIONS = ["510104", "430102", "610103", "350102", "420102"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
GIVEN = "子涵欣怡梓萱思雨浩然宇轩一诺雨桐可馨佳怡俊杰晨曦嘉懿明轩若汐沐宸诗涵博文"


def _sheet(ctx, year: int, count: int, first: int) -> bytes:
    """An admission file as the province sends it, for ``count`` freshmen of ``year``."""
    rng = ctx.rng
    rows = []
    for n in range(first, first + count):
        major = ctx.majors[n % len(ctx.majors)]
        gender = rng.choice(("1", "2"))
        birth = datetime.date(year - 18, rng.randint(1, 12), rng.randint(1, 28))
        region = REGIONS[n % len(REGIONS)]
        rows.append(
            [
                f"{year % 100:02d}{region}{n:06d}",
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                gender,
                f"{birth:%Y%m%d}",
                "1",
                make_id_number(region, birth, n, gender),
                rng.choice(["01"] * 8 + ["03", "05", "08"]),
                rng.choice(["03", "03", "13"]),
                major.code,
                major.name,
                major.level,
                str(major.program_years),
                "1",
                f"{ctx.terms[year].start_date:%Y%m%d}",
                major.college.name,
                rng.choice(["01"] * 12 + ["02", "03", "05"]),
                "",
            ]
        )
    return xlsx([c.platform for c in ADMISSION_COLUMNS], rows)


def _import(ctx, year: int, count: int, first: int) -> None:
    content = _sheet(ctx, year, count, first)
    name = f"{year}年录取数据.xlsx"
    result = admission_import(
        actor=ctx.users["registrar"], year=year, sheet=parse_admissions(content, name), file_name=name
    )
    if result.errors:
        raise RuntimeError("demo admission data has errors: " + "; ".join(map(str, result.errors[:5])))


def _import_sample_dbf(ctx) -> None:
    """The supplementary admissions of fixtures/ (the platform's GBK DBF), as a new user would import them."""
    if samples.YEAR not in ctx.terms:
        return
    name = samples.FILES["dbf"]
    content = (Path(settings.BASE_DIR) / "fixtures" / name).read_bytes()
    result = admission_import(
        actor=ctx.users["registrar"], year=samples.YEAR, sheet=parse_admissions(content, name), file_name=name
    )
    if result.errors:
        raise RuntimeError("the sample DBF file has errors: " + "; ".join(map(str, result.errors[:5])))


def _review(ctx, college, term, records, outcomes, *, submit: bool, approve: bool, title: str):
    staff = ctx.users["college_a_staff"] if college == ctx.colleges[0] else ctx.users["registrar"]
    batch = review_batch_create(actor=staff, college=college, term=term, title=title)
    items = [
        ItemInput(
            key=r.exam_number,
            outcome=o,
            reason=_reason(o),
            end_date=default_deferral_end() if o == "deferred" else None,
        )
        for r, o in zip(records, outcomes, strict=False)
    ]
    errors = review_items_save(actor=staff, batch_id=batch.pk, items=items)
    if errors:
        raise RuntimeError("demo review list has errors: " + "; ".join(map(str, errors[:5])))
    if submit:
        review_batch_submit(actor=staff, batch_id=batch.pk)
    if approve:
        review_batch_approve(
            actor=ctx.users["registrar"],
            batch_id=batch.pk,
            document_number=f"教学〔{term.start_date.year}〕{batch.pk}号",
        )
    return batch


def _reason(outcome: str) -> str:
    return {"forfeited": "未按期报到", "deferred": "应征入伍", "cancelled": "报到材料与本人不符"}.get(
        outcome, ""
    )


def _outcomes(rng, count: int) -> list[str]:
    return [
        rng.choices(["passed", "forfeited", "deferred", "cancelled"], weights=[85, 6, 5, 4])[0]
        for _ in range(count)
    ]


def load(ctx) -> None:
    """Create a few hundred admission records in varied states (see the module docstring)."""
    this_year = max(ctx.terms)
    last_year = this_year - 1
    registrar = ctx.users["registrar"]
    _import(ctx, last_year, 160, 0)
    _import(ctx, this_year, 240, 1000)
    _import_sample_dbf(ctx)

    # Last year: every college reviewed and the registrar approved.
    for college in ctx.colleges:
        records = list(
            AdmissionRecord.objects.filter(year=last_year, college=college).order_by("exam_number")
        )
        if records:
            _review(
                ctx,
                college,
                ctx.terms[last_year],
                records,
                _outcomes(ctx.rng, len(records)),
                submit=True,
                approve=True,
                title=f"{last_year}级新生入学资格审查",
            )
    registered = list(
        AdmissionRecord.objects.filter(year=last_year, state=AdmissionState.REGISTERED).order_by("pk")
    )
    for n, record in enumerate(registered):
        if n % 10 < 7:  # 复查 passed in time; the others are overdue (ENR-5)
            admission_rereview(actor=registrar, record_id=record.pk, passed=True, reason="入学资格复查合格")
    # The demo's student login: a freshman of the first college, registered and re-reviewed.
    featured = next((r for r in registered[:10] if r.college_id == ctx.colleges[0].pk), None)
    if featured is not None:
        featured.refresh_from_db()
        ctx.featured_student = featured.student
    if registered:
        admission_rereview(
            actor=registrar,
            record_id=registered[-1].pk,
            passed=False,
            reason="复查发现冒名顶替",
            document_number=f"校学籍〔{ctx.today.year}〕88号",
        )
    # Deferrals decided last year whose end has passed without an application (ENR-4).
    for record in AdmissionRecord.objects.filter(year=this_year, college=ctx.colleges[-1]).order_by("pk")[:3]:
        admission_transition(
            actor=registrar,
            record_id=record.pk,
            transition="defer",
            reason="因病保留入学资格（二级甲等以上医院证明）",
            deferral_end=ctx.today - datetime.timedelta(days=20),
            decided_on=ctx.today - datetime.timedelta(days=385),
        )

    # This year: the first college has a draft list and a submitted one.
    college = ctx.colleges[0]
    fresh = list(
        AdmissionRecord.objects.filter(year=this_year, college=college, state="imported").order_by(
            "exam_number"
        )
    )
    half = len(fresh) // 2
    _review(
        ctx,
        college,
        ctx.terms[this_year],
        fresh[:half],
        _outcomes(ctx.rng, half),
        submit=True,
        approve=False,
        title=f"{this_year}级新生入学资格审查（第一批）",
    )
    _review(
        ctx,
        college,
        ctx.terms[this_year],
        fresh[half:],
        ["passed"] * (len(fresh) - half),
        submit=False,
        approve=False,
        title=f"{this_year}级新生入学资格审查（第二批）",
    )
