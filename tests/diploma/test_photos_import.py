"""The agency's capture list and zip of photos (DIP-9): matched, checked before and while reading, all or nothing."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.test import override_settings

from audit.models import AuditEvent
from diploma.jpeg import jpeg_size, portrait_jpeg
from diploma.models import CheckState, PhotoCapture, PhotoImport
from diploma.photo_imports import parse_capture_list, read_photo_archive
from diploma.services.photos import photo_capture_list_import, photo_check_confirm, photo_images_import
from registrar.services import user_create
from registrar.sheets.errors import FileFormatError
from tests.diploma.builders import graduating
from tests.diploma.photo_builders import JPEG, capture_list, capture_row, captured, days_ago, zip_of
from tests.users import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.rule("DIP-9")]


def import_list(registrar, rows):
    sheet = parse_capture_list(capture_list(rows), "cj.xlsx")
    return photo_capture_list_import(actor=registrar, sheet=sheet, file_name="cj.xlsx")


def import_zip(registrar, members):
    return photo_images_import(
        actor=registrar, archive=read_photo_archive(zip_of(members)), file_name="p.zip"
    )


def test_the_agency_list_matches_students_by_id_number_or_exam_number(registrar, major_a):
    by_id, by_exam = graduating(major_a, 2)
    result = import_list(registrar, [capture_row(by_id), capture_row(by_exam, by="exam")])
    assert (result.ok, result.created) == (True, 2)
    assert set(PhotoCapture.objects.values_list("student_id", flat=True)) == {by_id.pk, by_exam.pk}
    assert AuditEvent.objects.filter(action="diploma.photo_capture.import").count() == 2


def test_every_row_error_of_the_list_is_named_and_nothing_is_written(registrar, major_a):
    known = graduating(major_a, 1)[0]
    rows = [
        capture_row(known),
        ["", "", "某人", "x.jpg", "2026-03-01"],  # neither key
        ["", "110101200701010018", "", "y.jpg", "2026-03-01"],  # nobody holds this number
        [known.exam_number, "", "别的名字", "z.jpg", "2026-03-01"],  # the same student again, another name
        ["", known.id_number, "", "a b.png", "昨天"],
    ]
    result = import_list(registrar, rows)
    reasons = {(e.row, e.column) for e in result.errors}
    assert {(3, "考生号"), (4, "身份证号"), (5, "姓名"), (6, "照片文件名"), (6, "采集日期")} <= reasons
    assert not PhotoCapture.objects.exists() and not PhotoImport.objects.exists()


def test_photos_are_stored_under_media_root_with_their_size(registrar, major_a, media):
    capture = captured(registrar, graduating(major_a, 1))[0]
    assert (capture.width, capture.height) == (480, 640)
    assert default_storage.path(capture.image.name).startswith(str(media))
    assert capture.image.read() == JPEG


def test_a_zip_member_named_by_exam_number_finds_its_student(registrar, major_a):
    student = graduating(major_a, 1)[0]
    captured(registrar, [student], photos=False)
    assert import_zip(registrar, {f"2026/{student.exam_number}.JPG": JPEG}).ok
    assert PhotoCapture.objects.get().image_sha256


def test_every_bad_photo_of_a_zip_is_listed_and_nothing_is_stored(registrar, major_a, media):
    first, second, third = graduating(major_a, 3)
    captured(registrar, [first, second, third], photos=False)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 4000
    members = {
        f"{first.id_number}.jpg": png,  # not a JPEG by its bytes
        f"{second.id_number}.jpg": portrait_jpeg(320, 480),  # wrong dimensions
        f"{third.id_number}.jpg": JPEG,
        f"{third.exam_number}.jpg": JPEG,  # the same student twice
        "110101200701010018.jpg": JPEG,  # nobody's
        "readme.txt": b"hello",
    }
    archive = read_photo_archive(zip_of(members))
    result = photo_images_import(actor=registrar, archive=archive, file_name="p.zip")
    reasons = " ".join(f"{e.column}{e.reason}" for e in result.errors)
    for expected in ("不是完整的 JPEG", "320×480", "110101200701010018", "每人只能有一张", "readme.txt"):
        assert expected in reasons
    assert not PhotoCapture.objects.exclude(image="").exists()
    assert not (media / "diploma").exists()


def test_a_member_whose_path_climbs_out_is_refused_and_never_read(registrar, major_a):
    student = graduating(major_a, 1)[0]
    captured(registrar, [student], photos=False)
    archive = read_photo_archive(zip_of({f"../../{student.id_number}.jpg": JPEG}))
    assert archive.photos == [] and "路径不安全" in archive.errors[0].reason


@override_settings(PHOTO_ARCHIVE_MAX_FILES=2)
def test_a_zip_with_more_members_than_allowed_is_refused_from_its_directory():
    with pytest.raises(FileFormatError, match="超过上限2"):
        read_photo_archive(zip_of({f"{n}0000.jpg": JPEG for n in range(3)}))


@override_settings(PHOTO_MAX_BYTES=2048)
def test_a_photo_larger_than_allowed_is_refused_before_it_is_inflated():
    archive = read_photo_archive(zip_of({"110101200701010018.jpg": JPEG}))
    assert "超过上限" in archive.errors[0].reason


@override_settings(PHOTO_ARCHIVE_MAX_BYTES=1000)
def test_an_oversized_upload_is_refused_before_it_is_opened():
    upload = zip_of({"110101200701010018.jpg": JPEG})
    upload.size = 5000
    with pytest.raises(FileFormatError, match="超过上限"):
        read_photo_archive(upload)


def test_a_file_that_is_no_zip_is_one_clear_error():
    with pytest.raises(FileFormatError, match="zip"):
        read_photo_archive(io.BytesIO(b"not a zip at all"))


def test_a_truncated_jpeg_is_refused_by_its_bytes():
    with pytest.raises(ValueError):
        jpeg_size(JPEG[: len(JPEG) // 2])


def test_a_new_capture_sends_the_confirmed_check_back_to_unchecked(registrar, major_a):
    student = graduating(major_a, 1)[0]
    captured(registrar, [student])
    user = user_create(actor=None, username="grad", password=PASSWORD, role="student", student=student)
    photo_check_confirm(user=user)
    assert import_list(registrar, [capture_row(student, captured_on=days_ago(5))]).changed == 1
    capture = PhotoCapture.objects.get()
    assert capture.check_state == CheckState.UNCHECKED and not capture.image
    event = AuditEvent.objects.get(action="diploma.photo_capture.recapture")
    assert (event.student_id, event.college_id) == (student.pk, student.college_id)


def test_the_same_zip_twice_changes_nothing(registrar, major_a):
    students = graduating(major_a, 2)
    captured(registrar, students)
    result = import_zip(registrar, {f"{s.id_number}.jpg": JPEG for s in students})
    assert (result.changed, result.unchanged) == (0, 2)


def test_college_staff_cannot_import(college_a_staff, major_a):
    student = graduating(major_a, 1)[0]
    with pytest.raises(PermissionDenied):
        import_list(college_a_staff, [capture_row(student)])
    assert not PhotoCapture.objects.exists()
