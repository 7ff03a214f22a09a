"""学籍记载 and identity-change test data, built through the services only."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from annual_registration.models import Punishment
from annual_registration.services.records import AwardInput, PunishmentInput, punishment_record
from registrar.models import Student

DECIDED = datetime.date(2026, 11, 2)
TODAY = datetime.date.today()
# After the 2026 freshmen entered (2026-09-07): a one-month punishment decided then has run by today.
EARLY = datetime.date(2026, 10, 8)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def award_input(**overrides) -> AwardInput:
    values = {
        "name": "国家奖学金",
        "level": "national",
        "awarded_on": datetime.date(2026, 11, 10),
        "granting_body": "教育部",
        "document_number": "教财〔2026〕5号",
    }
    values.update(overrides)
    return AwardInput(**values)


def punished(
    registrar, student: Student, *, months: int, kind: str = "warning", decided_on: datetime.date = DECIDED
) -> Punishment:
    data = PunishmentInput(kind, "旷课累计超过规定学时", "校发〔2026〕8号", decided_on, months)
    return punishment_record(actor=registrar, student_id=student.pk, data=data)


def proof(name: str = "户籍证明.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def big_proof(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("大文件.pdf", PDF + b"0" * size, content_type="application/pdf")


def stream(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


def year_decided(registrar, staff, college, year, term, students: list[Student]) -> None:
    """The roll of ``year`` opened; the college's list approved: all paid but the last, who is deferred."""
    from annual_registration.services import annual_roll_open
    from registrar import batches
    from registrar.models import BatchKind
    from tests.annual_registration.builders import fees_imported

    annual_roll_open(actor=registrar, academic_year=year)
    numbers = [s.student_number for s in students]
    fees_imported(registrar, year, [(n, "已缴费") for n in numbers[:-1]] + [(numbers[-1], "未缴费")])
    kind = BatchKind.ANNUAL_REGISTRATION
    batch = batches.batch_create(actor=staff, kind=kind, college=college, term=term)
    batches.batch_items_fill(actor=staff, batch_id=batch.pk, kind=kind)
    batches.batch_submit(actor=staff, batch_id=batch.pk, kind=kind)
    batches.batch_approve(actor=registrar, batch_id=batch.pk, kind=kind, document_number="教学〔2027〕12号")
