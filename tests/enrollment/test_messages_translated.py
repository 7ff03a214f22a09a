"""Service messages go through gettext: Chinese is the msgid, English comes from locale/en.

Row errors keep the file's own (Chinese) column names and translate only the reason.
"""

from __future__ import annotations

import ast
import datetime
import gettext as gnu_gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from enrollment.imports import RowError, parse_admissions
from enrollment.services import review_batch_create, review_batch_return
from registrar.idcard import check_digit, consistency_problems, make_id_number
from registrar.services import DomainError, student_change_status
from tests.enrollment.builders import admission_row, admission_sheet

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def bad_check_digit(id_number: str) -> str:
    """The same number with a wrong 18th character."""
    right = check_digit(id_number[:17])
    return id_number[:17] + ("0" if right != "0" else "1")


def return_without_comment(registrar, college_a_staff, college_a, term) -> str:
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term)
    with pytest.raises(DomainError) as refused:
        review_batch_return(actor=registrar, batch_id=batch.pk, comment="  ")
    return str(refused.value)


def resume_in_school(registrar, student) -> str:
    with pytest.raises(DomainError) as refused:
        student_change_status(actor=registrar, student_id=student.pk, transition="resume", reason="")
    return str(refused.value)


def row_errors(major) -> list[RowError]:
    row = admission_row(1, major)
    row["ZJHM"] = bad_check_digit(row["ZJHM"])
    return parse_admissions(admission_sheet([row]), "lq.xlsx").errors


# ---------------------------------------------------------------- service refusals


def test_a_review_list_returned_without_a_comment_is_refused_in_english(
    registrar, college_a_staff, college_a, term
):
    with translation.override("en"):
        message = return_without_comment(registrar, college_a_staff, college_a, term)
    assert message == "Please give a comment when returning a list"


def test_a_status_change_refusal_is_in_english_with_its_values_in_place(registrar, student_a_record):
    with translation.override("en"):
        message = resume_in_school(registrar, student_a_record)
    assert message.startswith(f"The student status of {student_a_record.name} is “")
    assert message.endswith("; resumption is not possible")


def test_service_refusals_stay_the_chinese_originals_in_zh_hans(
    registrar, college_a_staff, college_a, term, student_a_record
):
    with translation.override("zh-hans"):
        returned = return_without_comment(registrar, college_a_staff, college_a, term)
        resumed = resume_in_school(registrar, student_a_record)
    assert returned == "退回时请填写意见"
    assert resumed == f"{student_a_record.name}当前学籍状态为“在籍”，不能办理复学"


# ---------------------------------------------------------------- import row errors


def test_an_import_row_error_gives_its_reason_in_english_under_the_files_chinese_header(major_a):
    with translation.override("en"):
        errors = row_errors(major_a)
        texts = [str(e) for e in errors]
    assert [(e.row, e.column, e.reason) for e in errors] == [
        (2, "证件号码", "Wrong check digit in the ID number")
    ]
    # The command's "第N行 列名：原因" format is unchanged.
    assert texts == ["第2行 证件号码：Wrong check digit in the ID number"]


def test_an_import_row_error_is_the_chinese_original_in_zh_hans(major_a):
    with translation.override("zh-hans"):
        errors = row_errors(major_a)
    assert [str(e) for e in errors] == ["第2行 证件号码：身份证号校验位错误"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_id_card_disagreements_land_in_their_column_whatever_the_language(major_a, language):
    # The column comes from the field the problem is about, not from the text of the reason.
    row = admission_row(1, major_a, CSRQ="20070502", XB="2")
    with translation.override(language):
        errors = parse_admissions(admission_sheet([row]), "lq.xlsx").errors
    assert [e.column for e in errors] == ["出生日期", "性别"]
    if language == "en":
        assert errors[0].reason == "Date of birth does not match the ID number (which says 2007-05-01)"
        assert errors[1].reason == "Gender does not match the ID number"
    else:
        assert errors[0].reason == "出生日期与身份证号不一致（身份证号为2007-05-01）"
        assert errors[1].reason == "性别与身份证号不一致"


def test_id_card_problems_name_their_field():
    number = make_id_number("110101", datetime.date(2007, 5, 1), 7, "1")
    with translation.override("en"):
        problems = consistency_problems(number, datetime.date(2007, 5, 2), "2")
        broken = consistency_problems(bad_check_digit(number), None, None)
    assert [field for field, _reason in problems] == ["birth_date", "gender"]
    assert broken == [("id_number", "Wrong check digit in the ID number")]


# ---------------------------------------------------------------- the catalog


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: flags, msgctxt, msgid and every msgstr (plural forms too)."""
    entries: list[dict] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set(), "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):  # a continuation of the previous keyword's string
                if key == "msgstr":
                    entry["msgstr"][-1] += ast.literal_eval(line)
                else:
                    entry[key] += ast.literal_eval(line)
            else:
                key, _space, literal = line.partition(" ")
                if key.startswith("msgstr"):  # msgstr, or msgstr[N] of a plural entry
                    key = "msgstr"
                    entry["msgstr"].append(ast.literal_eval(literal))
                else:
                    entry[key] = ast.literal_eval(literal)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_the_english_catalog_is_complete_and_compiled():
    entries = po_entries(CATALOG / "django.po")
    assert entries
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []
    with open(CATALOG / "django.mo", "rb") as compiled:
        mo = gnu_gettext.GNUTranslations(compiled)
    stale = [
        e["msgid"]
        for e in entries
        if "msgid_plural" not in e
        and (mo.pgettext(e["msgctxt"], e["msgid"]) if "msgctxt" in e else mo.gettext(e["msgid"]))
        != e["msgstr"][0]
    ]
    assert stale == []
