"""图像采集与校对 (DIP-9, JL28, SH三(五)3): the agency's list and photos, the student's check, retakes.

Every write here runs in one transaction with its audit events; an import checks
every row (every photo) first and writes nothing when any is wrong. A new capture
date or a new photo sends the check back to 待校对 through the transition engine
(``recapture``), so the student checks what will be registered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_registration.services.decisions import fire
from audit.services import EventSpec, audit_record, audit_record_many
from diploma.models.photos import (
    CheckState,
    PhotoCapture,
    PhotoImport,
    PhotoImportKind,
    PhotoRetake,
    RetakeReason,
    photo_path,
)
from diploma.photo_imports import PhotoArchive
from registrar import codes
from registrar.errors import DomainError
from registrar.models import Student, User
from registrar.roles import acts_for_college, is_registrar
from registrar.sheets.tables import ParsedSheet, RowError
from registrar.transitions import Hook, Machine, Move, apply_moves, lock_rows


class RecaptureHook(Hook):
    """A photo's audit event belongs to its student's college (the capture reaches it through the student)."""

    def colleges(self, rows: Sequence[Any]) -> dict[Any, int | None]:
        found = PhotoCapture.objects.filter(pk__in=[row.pk for row in rows]).values_list(
            "pk", "student__college_id"
        )
        return dict(found)


RECAPTURE = Machine(
    model=PhotoCapture,
    field="check_state",
    columns=("student_id",),
    describe=lambda row: _("学生%(id)s的照片") % {"id": row.student_id},
    college=None,
    student="student_id",
    action_prefix="diploma.photo_capture",
    hook=RecaptureHook(),
)
PROBLEM_LIMIT = 500


@dataclass
class PhotoImportResult:
    """What an import wrote, or every reason it wrote nothing (``errors``)."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    run: PhotoImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def may_import_photos(actor: User) -> bool:
    """Only the registrar office imports the agency's list and photos (SEC-1); views ask before reading a byte."""
    return is_registrar(actor)


def _registrar_only(actor: User) -> None:
    if not may_import_photos(actor):
        raise PermissionDenied(_("只有教务处可以导入图像采集数据"))


# ---------------------------------------------------------------- the agency's list


@dataclass(frozen=True)
class _Known:
    pk: int
    name: str
    college_id: int


def _students_by(field_name: str, values: Iterable[str]) -> dict[str, _Known]:
    """Students holding a 学籍 here, by 考生号 or 证件号码 (DIP-2: nobody else gets a diploma photo)."""
    values = [v for v in set(values) if v]
    if not values:
        return {}
    rows = Student.objects.filter(
        **{f"{field_name}__in": values}, student_status__in=codes.ACTIVE_STUDENT_STATUSES
    ).values_list(field_name, "pk", "name", "college_id")
    return {key: _Known(pk, name, college_id) for key, pk, name, college_id in rows}


def _match_rows(sheet: ParsedSheet, errors: list[RowError]) -> dict[int, tuple[_Known, dict[str, Any]]]:
    """Each row's student (by 身份证号, else 考生号), or an error naming the row and the column."""
    by_id = _students_by("id_number", (r.values.get("id_number", "") for r in sheet.rows))
    by_exam = _students_by("exam_number", (r.values.get("exam_number", "") for r in sheet.rows))
    matched: dict[int, tuple[_Known, dict[str, Any]]] = {}
    first_row: dict[int, int] = {}
    for row in sheet.rows:
        values = row.values
        id_number, exam_number = values.get("id_number"), values.get("exam_number")
        if not (id_number or exam_number) or "file_name" not in values or "captured_on" not in values:
            continue  # the cell check already named what is missing
        student = by_id.get(id_number) if id_number else None
        if id_number and student is None:
            errors.append(RowError(row.number, "身份证号", _("没有该身份证号的在籍学生")))
            continue
        if exam_number:
            other = by_exam.get(exam_number)
            if other is None:
                errors.append(RowError(row.number, "考生号", _("没有该考生号的在籍学生")))
                continue
            if student is not None and other.pk != student.pk:
                errors.append(RowError(row.number, "考生号", _("考生号与身份证号不是同一名学生")))
                continue
            student = other
        if values.get("name") and values["name"] != student.name:
            errors.append(
                RowError(row.number, "姓名", _("与学籍中的姓名“%(name)s”不一致") % {"name": student.name})
            )
            continue
        if student.pk in first_row:
            errors.append(
                RowError(
                    row.number, "考生号", _("与第%(row)s行是同一名学生") % {"row": first_row[student.pk]}
                )
            )
            continue
        first_row[student.pk] = row.number
        matched[row.number] = (student, values)
    return matched


def photo_capture_list_import(*, actor: User, sheet: ParsedSheet, file_name: str) -> PhotoImportResult:
    """导入图像采集名单 (DIP-9): 考生号 or 身份证号 → 照片文件名, 采集日期; all rows or none.

    A student already on an earlier list gets the new capture (a retake): the photo
    of the old capture is cleared and the check goes back to 待校对.
    """
    _registrar_only(actor)
    errors = list(sheet.errors)
    matched = _match_rows(sheet, errors)
    if errors:
        return PhotoImportResult(errors=sorted(errors, key=lambda e: (e.row, e.column)))
    with transaction.atomic():
        return _write_captures(actor, sheet, file_name, list(matched.values()))


def _write_captures(
    actor: User, sheet: ParsedSheet, file_name: str, matched: list[tuple[_Known, dict[str, Any]]]
) -> PhotoImportResult:
    students = [student.pk for student, _values in matched]
    existing = {
        c.student_id: c
        for c in PhotoCapture.objects.select_for_update().filter(student_id__in=students).order_by("pk")
    }
    run = PhotoImport.objects.create(
        kind=PhotoImportKind.LIST,
        file_name=file_name[:255],
        sha256=sheet.sha256,
        rows=len(matched),
        imported_by=actor,
    )
    new, changed, written = [], [], []
    for student, values in matched:
        captured_on, name = values["captured_on"], values["file_name"]
        current = existing.get(student.pk)
        if current is not None and (current.captured_on, current.file_name) == (captured_on, name):
            continue
        before = (
            {"captured_on": current.captured_on.isoformat(), "file_name": current.file_name}
            if current
            else {}
        )
        if current is None:
            current = PhotoCapture(student_id=student.pk, captured_on=captured_on, file_name=name, source=run)
            new.append(current)
        else:
            current.captured_on, current.file_name, current.source = captured_on, name, run
            current.image, current.image_sha256, current.width, current.height = "", "", None, None
            changed.append(current)
        written.append((current, before, student))
    PhotoCapture.objects.bulk_create(new, batch_size=2000)
    PhotoCapture.objects.bulk_update(
        changed,
        ["captured_on", "file_name", "source", "image", "image_sha256", "width", "height"],
        batch_size=2000,
    )
    events = [
        EventSpec(
            action="diploma.photo_capture.import",
            subject=(PhotoCapture._meta.label_lower, capture.pk),
            actor=actor,
            before=before,
            after={"captured_on": capture.captured_on.isoformat(), "file_name": capture.file_name},
            student_id=student.pk,
            college_id=student.college_id,
        )
        for capture, before, student in written
    ]
    _recapture(actor, [c.pk for c in changed])
    run.created, run.changed = len(new), len(changed)
    run.save(update_fields=["created", "changed"])
    audit_record_many(events)
    audit_record(
        actor=actor,
        action="diploma.photo_import.list",
        subject=run,
        after={"rows": len(matched), "created": len(new), "changed": len(changed), "sha256": sheet.sha256},
    )
    return PhotoImportResult(
        created=len(new), changed=len(changed), unchanged=len(matched) - len(new) - len(changed), run=run
    )


def _recapture(actor: User, capture_ids: Sequence[int]) -> None:
    """A new capture or photo: the student checks again (``recapture``, set-based, one event per row)."""
    if not capture_ids:
        return
    rows = lock_rows(RECAPTURE, capture_ids)
    apply_moves(RECAPTURE, [Move(row, "recapture") for row in rows.values()], actor=actor)


# ---------------------------------------------------------------- the agency's photos


def photo_images_import(*, actor: User, archive: PhotoArchive, file_name: str) -> PhotoImportResult:
    """导入照片压缩包 (DIP-9): each JPEG, named by 身份证号 or 考生号, to its student's capture; all or none.

    A name that matches no student with a capture record is listed (import the list
    first); two photos of one student are refused. A changed photo is checked again.
    """
    _registrar_only(actor)
    errors = list(archive.errors)
    keys = [p.key for p in archive.photos]
    captures = {}
    for capture in PhotoCapture.objects.filter(
        Q(student__id_number__in=keys) | Q(student__exam_number__in=keys),
        student__student_status__in=codes.ACTIVE_STUDENT_STATUSES,
    ).select_related("student"):
        captures[capture.student.id_number] = capture
        if capture.student.exam_number:
            captures[capture.student.exam_number] = capture
    matched: dict[int, tuple[PhotoCapture, Any]] = {}
    for photo in archive.photos:
        column = _("文件“%(name)s”") % {"name": photo.member[:120]}
        capture = captures.get(photo.key)
        if capture is None:
            errors.append(
                RowError(
                    0,
                    column,
                    _("没有身份证号或考生号为%(key)s的采集记录，请先导入图像采集名单") % {"key": photo.key},
                )
            )
        elif capture.pk in matched:
            errors.append(
                RowError(
                    0,
                    column,
                    _("与“%(other)s”是同一名学生的照片，每人只能有一张")
                    % {"other": matched[capture.pk][1].member},
                )
            )
        else:
            matched[capture.pk] = (capture, photo)
    if errors:
        return PhotoImportResult(errors=errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _write_images(actor, archive, file_name, list(matched.values()), stored)
    except BaseException:
        for name in stored:  # the transaction rolled back: no row names these files
            default_storage.delete(name)
        raise


def _write_images(
    actor: User,
    archive: PhotoArchive,
    file_name: str,
    matched: list[tuple[PhotoCapture, Any]],
    stored: list[str],
) -> PhotoImportResult:
    locked = {
        c.pk: c for c in PhotoCapture.objects.select_for_update().filter(pk__in=[c.pk for c, _p in matched])
    }
    run = PhotoImport.objects.create(
        kind=PhotoImportKind.IMAGES,
        file_name=file_name[:255],
        sha256=archive.sha256,
        rows=len(matched),
        imported_by=actor,
    )
    changed, recheck, events = [], [], []
    for capture, photo in matched:
        current = locked[capture.pk]
        if current.image_sha256 == photo.sha256:
            continue
        name = default_storage.save(photo_path(current, photo.member), ContentFile(photo.content))
        stored.append(name)
        if current.image_sha256 and current.check_state != CheckState.UNCHECKED:
            recheck.append(current.pk)
        events.append(
            EventSpec(
                action="diploma.photo_capture.image",
                subject=(PhotoCapture._meta.label_lower, current.pk),
                actor=actor,
                before={"image_sha256": current.image_sha256},
                after={"image_sha256": photo.sha256, "width": photo.width, "height": photo.height},
                student_id=current.student_id,
                college_id=capture.student.college_id,
            )
        )
        current.image, current.image_sha256 = name, photo.sha256
        current.width, current.height, current.image_source = photo.width, photo.height, run
        changed.append(current)
    PhotoCapture.objects.bulk_update(
        changed, ["image", "image_sha256", "width", "height", "image_source"], batch_size=2000
    )
    _recapture(actor, recheck)
    run.changed = len(changed)
    run.save(update_fields=["changed"])
    audit_record_many(events)
    audit_record(
        actor=actor,
        action="diploma.photo_import.images",
        subject=run,
        after={"photos": len(matched), "changed": len(changed), "sha256": archive.sha256},
    )
    return PhotoImportResult(changed=len(changed), unchanged=len(matched) - len(changed), run=run)


# ---------------------------------------------------------------- the student's check (JL28)


def own_capture(user: User) -> PhotoCapture:
    """The signed-in student's capture record, or ``PhotoCapture.DoesNotExist``."""
    capture = PhotoCapture.objects.for_user(user).filter(student_id=user.student_id).first()
    if user.student_id is None or capture is None:
        raise PhotoCapture.DoesNotExist(_("没有你的图像采集记录"))
    return capture


def _check(user: User, name: str, problem: str = "") -> PhotoCapture:
    own = own_capture(user)
    capture = PhotoCapture.objects.select_for_update().select_related("student").get(pk=own.pk)
    if not capture.image:
        raise DomainError(_("照片尚未导入，暂不能校对"))
    today = timezone.localdate()
    if today < capture.check_opens_on:
        raise DomainError(
            _("照片校对于采集40天后开放，即%(day)s起") % {"day": f"{capture.check_opens_on:%Y-%m-%d}"}
        )
    before = fire(capture, name, actor=user, field="check_state", reason=problem)
    capture.save(update_fields=["check_state", "checked_at", "problem"])
    audit_record(
        actor=user,
        action=f"diploma.photo_capture.{name}",
        subject=capture,
        before={"check_state": before},
        after={"check_state": capture.check_state, "image_sha256": capture.image_sha256},
        reason=problem,
        student_id=capture.student_id,
        college_id=capture.student.college_id,
    )
    return capture


@transaction.atomic
def photo_check_confirm(*, user: User) -> PhotoCapture:
    """图像校对：确认无误 (DIP-9, JL28(一)): the student's own photo and data, from the 40th day after capture."""
    return _check(user, "confirm")


@transaction.atomic
def photo_check_dispute(*, user: User, problem: str) -> PhotoCapture:
    """图像校对：报告有误 (DIP-9, JL28(一)): what is wrong, in the student's words; the college follows it up."""
    problem = problem.strip()
    if not problem:
        raise DomainError(_("请说明照片或信息哪里有误"))
    if len(problem) > PROBLEM_LIMIT:
        raise DomainError(_("说明不能超过%(limit)s字") % {"limit": PROBLEM_LIMIT})
    return _check(user, "dispute", problem)


# ---------------------------------------------------------------- retakes (SH三(五)3(3))


@transaction.atomic
def photo_retake_register(*, actor: User, student_id: int, reason: str, note: str = "") -> PhotoRetake:
    """补拍登记 (DIP-9, SH三(五)3(3)): the college or the registrar registers a student for the agency's retake."""
    student = Student.objects.for_user(actor).filter(pk=student_id).first()
    if student is None:
        raise Student.DoesNotExist(_("学生不存在"))
    if not acts_for_college(actor, student.college_id):
        raise PermissionDenied(_("无权为该学生登记补拍"))
    if reason not in RetakeReason.values:
        raise DomainError(_("请选择补拍原因"))
    note = note.strip()
    if len(note) > 200:
        raise DomainError(_("说明不能超过%(limit)s字") % {"limit": 200})
    if student.student_status not in codes.ACTIVE_STUDENT_STATUSES:
        raise DomainError(_("该学生已不在籍，不能登记补拍"))
    retake = PhotoRetake.objects.create(student=student, reason=reason, note=note, registered_by=actor)
    audit_record(
        actor=actor,
        action="diploma.photo_retake.register",
        subject=retake,
        after={"reason": reason, "note": note},
        student_id=student.pk,
        college_id=student.college_id,
    )
    return retake
