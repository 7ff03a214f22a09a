"""Choice labels and transition labels follow the active language; the Chinese text is the msgid.

Codes never change with the language, and lookups of a Chinese name (uploaded
files, correction input) keep working whatever the active language.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from enrollment.models import AdmissionRecord, AdmissionState, ReviewOutcome
from registrar import codes
from registrar.batches import batch_actions, batch_create, transition_label
from registrar.models import Batch, BatchKind, BatchState


def test_a_student_status_label_is_english_under_en_and_chinese_under_zh_hans(student_a_record):
    with translation.override("en"):
        assert str(codes.StudentStatus.IN_SCHOOL.label) == "In school"
        assert student_a_record.get_student_status_display() == "In school"
    with translation.override("zh-hans"):
        assert str(codes.StudentStatus.IN_SCHOOL.label) == "在籍"
        assert student_a_record.get_student_status_display() == "在籍"


def test_an_admission_state_label_is_english_under_en_and_chinese_under_zh_hans():
    with translation.override("en"):
        assert str(AdmissionState.IMPORTED.label) == "Admitted (not yet enrolled)"
        assert str(AdmissionState.FORFEITED.label) == "Admission forfeited"
        assert str(ReviewOutcome.PASSED.label) == "Reported for enrollment"
    with translation.override("zh-hans"):
        assert str(AdmissionState.IMPORTED.label) == "已录取"
        assert str(AdmissionState.FORFEITED.label) == "放弃入学资格"
        assert str(ReviewOutcome.PASSED.label) == "报到入学"


def test_an_ethnicity_label_is_english_under_en_and_chinese_under_zh_hans():
    with translation.override("en"):
        assert [str(codes.Ethnicity(c).label) for c in ("01", "05", "46", "56")] == [
            "Han",
            "Uygur",
            "De'ang",
            "Jino",
        ]
        assert codes.label_of(codes.Ethnicity, "01") == "Han"
    with translation.override("zh-hans"):
        assert str(codes.Ethnicity.HAN.label) == "汉族"
        assert codes.label_of(codes.Ethnicity, "01") == "汉族"


def test_every_code_table_label_has_an_english_translation():
    tables = [
        codes.Gender,
        codes.Ethnicity,
        codes.PoliticalStatus,
        codes.IdType,
        codes.Level,
        codes.StudyMode,
        codes.AdmissionType,
        codes.EducationLevel,
        codes.StudentStatus,
        codes.StatusChangeKind,
        codes.SchoolType,
        AdmissionState,
        ReviewOutcome,
        BatchKind,
        BatchState,
    ]
    for table in tables:
        chinese = codes.chinese_names(table)
        with translation.override("en"):
            english = {code: str(label) for code, label in table.choices}
        untranslated = [code for code in table.values if english[code] == chinese[code]]
        assert untranslated == [], table.__name__


@pytest.mark.django_db
def test_a_batch_button_label_is_english_under_en_and_chinese_under_zh_hans(college_a_staff, college_a, term):
    batch = batch_create(actor=college_a_staff, kind=BatchKind.FRESHMAN_REVIEW, college=college_a, term=term)
    with translation.override("en"):
        english = batch_actions(user=college_a_staff, batch=batch)
        assert transition_label(Batch, "approve") == "Approve"
        assert transition_label(AdmissionRecord, "defer") == "Defer admission"
    with translation.override("zh-hans"):
        chinese = batch_actions(user=college_a_staff, batch=batch)
        assert transition_label(Batch, "approve") == "审批通过"
        assert transition_label(AdmissionRecord, "defer") == "保留入学资格"
    assert english == [("submit", "Submit for approval")]
    assert chinese == [("submit", "提交审批")]
    # Plain strings, ready for JSON and dict keys.
    assert all(type(label) is str for _name, label in english + chinese)


def test_the_codes_do_not_change_with_the_language():
    with translation.override("en"):
        english = [codes.StudentStatus.values, codes.Ethnicity.values, AdmissionState.values]
    with translation.override("zh-hans"):
        chinese = [codes.StudentStatus.values, codes.Ethnicity.values, AdmissionState.values]
    assert english == chinese
    assert codes.StudentStatus.IN_SCHOOL == "in_school" and codes.Ethnicity.HAN == "01"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_chinese_names_are_looked_up_whatever_the_language(language):
    with translation.override(language):
        assert codes.code_of(codes.Ethnicity, "汉族") == "01"
        assert codes.code_of(codes.Gender, " 女 ") == "2"
        assert codes.code_of(codes.IdType, "居民身份证") == "1"
        assert codes.code_of(codes.Ethnicity, "03") == "03"
        assert codes.chinese_label_of(codes.Ethnicity, "01") == "汉族"
        assert codes.chinese_label_of(codes.Ethnicity, "xx") == "xx"
