"""Two colleges with one of everything, built once through the services, for the scoping matrix.

College A's staff and student A are the probes; every object lives in college B or
belongs to student B, so any answer that shows one of them to a probe is a leak.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import override_settings

from annual_registration.models import (
    AnnualList,
    AnnualRegistration,
    Award,
    ChangeList,
    IdentityChangeRequest,
    IdentityProof,
    IssuedCertificate,
    Punishment,
    StatisticsReport,
    StatusChange,
    StudentArchive,
    TermCheckIn,
)
from annual_registration.services import annual_roll_open
from annual_registration.services.change_rules import ChangeInput
from annual_registration.services.changes import kind_settings_seed, status_change_file
from annual_registration.services.check_ins import term_check_in_open
from annual_registration.services.identity import identity_change_file
from annual_registration.services.records import (
    AwardInput,
    PunishmentInput,
    award_record,
    certificate_issue,
    punishment_record,
)
from annual_registration.services.reports import statistics_report_send
from audit.models import AuditEvent
from deadlines.models import DeadlineNotice, DeadlineRule, DeadlineScan, DeadlineViolation
from diploma.models import (
    Certificate,
    CertificateCorrection,
    ExpectedGraduate,
    OutcomeList,
    PhotoCapture,
    ReplacementAttestation,
)
from diploma.services.annotations import attestation_issue
from diploma.services.certificates import certificates_precheck, certificates_register
from diploma.services.corrections import CorrectionInput, correction_request
from diploma.services.graduates import expected_graduates_build
from diploma.services.outcomes import graduate_outcomes_apply
from diploma.services.photos import photo_retake_register
from enrollment.imports import parse_admissions
from enrollment.models import AdmissionRecord, CorrectionRequest, DataReport, ReviewBatch
from enrollment.services import (
    ItemInput,
    admission_import,
    admission_report_error,
    correction_create,
    review_batch_create,
    review_items_save,
)
from registrar.batches import batch_attachments_add, batch_create, batch_items_save
from registrar.models import Batch, BatchAttachment, BatchKind, College, Major, School, Student, User
from registrar.proofs import ProofFile
from registrar.roles import Role
from registrar.services import user_create
from registrar.uploads import errors_key, progress_key
from tests.annual_registration.builders import second_year
from tests.diploma.builders import photo_confirmed
from tests.diploma.photo_builders import captured
from tests.enrollment.builders import admission_row, admission_sheet, registered_through_a_list
from tests.factories import (
    AcademicYearFactory,
    CollegeFactory,
    MajorFactory,
    SchoolFactory,
    StudentFactory,
    TermFactory,
)

PASSWORD = "Test-pass-2026!"
TOKEN = "b-token-0001"


@dataclass
class World:
    users: dict[str, User | None]
    #: model → an object of college B (or of student B), the one every URL parameter points at.
    objects: dict[type[models.Model], models.Model]
    #: Text that only college B's people carry: it must not reach college A's staff or student A.
    markers: list[str] = field(default_factory=list)
    #: Text of another student of student A's own college: hidden from student A only.
    classmate_markers: list[str] = field(default_factory=list)
    history_id: int = 0


def build_world() -> World:
    """College A and B, the named users, and B's student, records, list, correction, report and deadlines."""
    SchoolFactory()
    term = TermFactory()
    college_a = CollegeFactory(code="A01", name="计算机学院")
    college_b = CollegeFactory(code="B01", name="外国语学院")
    major_a = MajorFactory(code="080901", name="计算机科学与技术", college=college_a)
    major_b = MajorFactory(code="050201", name="英语", college=college_b)

    def make(username: str, role: str, **extra) -> User:
        return user_create(actor=None, username=username, password=PASSWORD, role=role, **extra)

    registrar = make("registrar", Role.REGISTRAR)
    users: dict[str, User | None] = {
        "anonymous": None,
        "admin": make("admin", Role.ADMIN),
        "registrar": registrar,
        "auditor": make("auditor", Role.AUDITOR),
        "college_a_staff": make("college_a_staff", Role.COLLEGE_STAFF, colleges=[college_a]),
    }
    staff_b = make("college_b_staff", Role.COLLEGE_STAFF, colleges=[college_b])

    rows = [admission_row(n, major_a) for n in (1, 2)] + [admission_row(n, major_b) for n in (101, 102, 103)]
    sheet = parse_admissions(admission_sheet(rows), "lq.xlsx")
    assert admission_import(actor=registrar, year=2026, sheet=sheet, file_name="lq.xlsx").ok
    records_b = list(AdmissionRecord.objects.filter(college=college_b).order_by("exam_number"))
    record_a, classmate = AdmissionRecord.objects.filter(college=college_a).order_by("exam_number")[:2]
    registered_a = registered_through_a_list(
        record_a, staff=users["college_a_staff"], registrar=registrar, college=college_a, term=term
    )
    registered_b = registered_through_a_list(
        records_b[0], staff=staff_b, registrar=registrar, college=college_b, term=term
    )
    # Registration opens each student's account (ENR-2).
    users["student_a"] = User.objects.get(student_id=registered_a.student_id)
    student_b = Student.objects.get(pk=registered_b.student_id)
    student_b_user = User.objects.get(student=student_b)

    batch_b = review_batch_create(actor=staff_b, college=college_b, term=term)
    review_items_save(
        actor=staff_b,
        batch_id=batch_b.pk,
        items=[ItemInput(key=records_b[1].exam_number, outcome="passed")],
    )
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="world-media-")):
        batch_attachments_add(
            actor=staff_b,
            batch_id=batch_b.pk,
            kind=BatchKind.FRESHMAN_REVIEW,
            proofs=[
                ProofFile(name="乙的名单证明.pdf", content=b"%PDF-1.4 b", content_type="application/pdf")
            ],
        )
    correction = correction_create(
        actor=staff_b, record_id=records_b[1].pk, requested={"name": "乙改名"}, reason="姓名录错"
    )
    report = admission_report_error(user=student_b_user, description="乙的出生日期有误")
    kind_settings_seed()  # seeded by a migration; a transactional test before may have emptied it
    change = status_change_file(
        actor=staff_b, student_id=student_b.pk, given=ChangeInput(kind="31", reason="乙申请退学")
    )
    change_list_b = batch_create(actor=staff_b, kind=BatchKind.STATUS_CHANGE, college=college_b, term=term)

    # Annual registration of 2027: student B on the roll and on college B's draft list.
    year = second_year(registrar)
    annual_roll_open(actor=registrar, academic_year=year)
    annual_list_b = batch_create(
        actor=staff_b, kind=BatchKind.ANNUAL_REGISTRATION, college=college_b, term=year.terms.get(number=1)
    )
    batch_items_save(
        actor=staff_b,
        batch_id=annual_list_b.pk,
        kind=BatchKind.ANNUAL_REGISTRATION,
        items=[ItemInput(key=student_b.student_number, outcome="register")],
    )

    # 学期报到注册 (ANN-13): the school asks for it; every in-school student of the 2027 first term is listed.
    School.objects.update(term_check_in=True)
    term_check_in_open(actor=registrar, term=year.terms.get(number=1))

    # 学籍记载, an identity change with its proof (stored apart), and the year's statistics report.
    award = award_record(
        actor=registrar,
        student_id=student_b.pk,
        data=AwardInput("乙的奖学金", "school", datetime.date(2026, 11, 10), "示范大学"),
    )
    punishment = punishment_record(
        actor=registrar,
        student_id=student_b.pk,
        data=PunishmentInput("warning", "乙旷课", "校发〔2026〕8号", datetime.date(2026, 11, 2), 6),
    )
    certificate = certificate_issue(
        actor=registrar, student_id=student_b.pk, kind="study", issued_on=datetime.date(2026, 11, 20)
    )
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="world-media-")):
        identity_change = identity_change_file(
            actor=staff_b,
            student_id=student_b.pk,
            requested={"name": "乙更名"},
            reason="户籍更名",
            proofs=[SimpleUploadedFile("乙的证明.pdf", b"%PDF-1.4 b")],
        )
    # Diploma photos (DIP-9): student B on the agency's list, B's photo imported, a retake registered.
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="world-media-")):
        photo_b = captured(registrar, [student_b])[0]
    photo_retake_register(actor=staff_b, student_id=student_b.pk, reason="other", note="乙需补拍")
    statistics_report = statistics_report_send(
        actor=registrar, academic_year=year, sent_on=datetime.date(2026, 11, 30), recipient="省教育厅"
    )

    # Diploma registration (issue 12): a graduate of college B on B's outcome list, registered, with a
    # correction case and a 证明书.
    # Its own 学号: the factory's sequence (2026…) shifts with every test run before the world in the
    # process and then met the numbers registration gave students A and B (a duplicate key).
    graduate_b = StudentFactory(
        name="丙毕业生", major=major_b, entry_date=datetime.date(2022, 9, 1),
        expected_graduation_date=datetime.date(2026, 6, 30), student_number="2022090001",
    )  # fmt: skip
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="world-media-")):
        photo_confirmed(registrar, [graduate_b])  # the pre-check passes only a verified photo (DIP-9, DIP-10)
    expected_graduates_build(actor=registrar, graduation_year=2026)
    expected_b = ExpectedGraduate.objects.get(student=graduate_b)
    spring = TermFactory(
        academic_year=AcademicYearFactory(start_year=2025), number=2, start_date=datetime.date(2026, 2, 23)
    )
    outcome_list_b = batch_create(
        actor=staff_b, kind=BatchKind.GRADUATION_OUTCOME, college=college_b, term=spring
    )
    batch_items_save(
        actor=staff_b,
        batch_id=outcome_list_b.pk,
        kind=BatchKind.GRADUATION_OUTCOME,
        items=[ItemInput(key=graduate_b.student_number, outcome="graduated")],
    )
    graduate_outcomes_apply(actor=registrar, outcomes={expected_b.pk: "graduated"})
    certificates_precheck(registrar, [expected_b.pk])
    certificates_register(actor=registrar)
    diploma_b = Certificate.objects.get(student=graduate_b)
    diploma_correction_b = correction_request(
        actor=registrar,
        certificate_id=diploma_b.pk,
        data=CorrectionInput(changes={"name": "丙更正"}, reason="姓名有误", evidence_note="户口簿"),
    )
    attestation_b = attestation_issue(
        actor=registrar, certificate_id=diploma_b.pk, issued_on=datetime.date(2026, 11, 1), reason="丙遗失"
    )

    today = datetime.date(2026, 10, 1)
    rule = DeadlineRule.objects.create(
        code="matrix_rule",
        name="矩阵测试规则",
        kind="tests.matrix",
        clock="term_start",
        unit="months",
        length=3,
    )
    scan = DeadlineScan.objects.create(
        as_of=today, started_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    )
    violation = DeadlineViolation.objects.create(
        rule=rule,
        subject_type="registrar.student",
        subject_id=student_b.pk,
        college=college_b,
        student=student_b,
        clock_start=today,
        due_date=today,
        state="open",
        opened_on=today,
        changed_on=today,
    )
    notice = DeadlineNotice.objects.create(
        college=college_b, rule=rule, created_on=today, first_due_date=today, subject_count=1
    )
    # Another user's upload progress and error file: reachable only by their owner (keys carry the user id).
    cache.set(progress_key(staff_b.pk, TOKEN), {"phase": "乙的上传", "percent": 50}, 300)
    cache.set(errors_key(staff_b.pk, TOKEN), b"b-errors", 300)

    objects: dict[type[models.Model], models.Model] = {
        Student: student_b,
        College: college_b,
        Major: major_b,
        AdmissionRecord: records_b[1],
        Batch: batch_b,
        BatchAttachment: batch_b.attachments.get(),
        ReviewBatch: ReviewBatch.objects.get(pk=batch_b.pk),
        AnnualRegistration: AnnualRegistration.objects.get(student=student_b, academic_year=year),
        AnnualList: AnnualList.objects.get(pk=annual_list_b.pk),
        Award: award,
        TermCheckIn: TermCheckIn.objects.get(student=student_b),
        Punishment: punishment,
        IssuedCertificate: certificate,
        IdentityChangeRequest: identity_change,
        IdentityProof: identity_change.proofs.get(),
        StatisticsReport: statistics_report,
        StudentArchive: StudentArchive.objects.get(pk=student_b.pk),
        CorrectionRequest: correction,
        DataReport: report,
        StatusChange: change,
        ChangeList: ChangeList.objects.get(pk=change_list_b.pk),
        AuditEvent: AuditEvent.objects.filter(college=college_b).latest("pk"),
        DeadlineViolation: violation,
        PhotoCapture: photo_b,
        ExpectedGraduate: expected_b,
        OutcomeList: OutcomeList.objects.get(pk=outcome_list_b.pk),
        Certificate: diploma_b,
        CertificateCorrection: diploma_correction_b,
        ReplacementAttestation: attestation_b,
        DeadlineNotice: notice,
        DeadlineRule: rule,
        DeadlineScan: scan,
        User: staff_b,
        Group: Group.objects.create(name="矩阵测试组"),
    }
    markers = [
        student_b.name,
        student_b.student_number,
        *(r.exam_number for r in records_b),
        records_b[1].name,
        graduate_b.name,
        graduate_b.student_number,
        diploma_b.certificate_number,
    ]
    return World(
        users=users,
        objects=objects,
        markers=markers,
        classmate_markers=[classmate.exam_number],
        history_id=student_b.history.latest().history_id,
    )
