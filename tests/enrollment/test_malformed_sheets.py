"""Malformed sheets give row errors, never a server error, and write nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrollment.imports import parse_admissions, parse_review_results
from enrollment.models import AdmissionRecord
from enrollment.services import admission_import
from tests.enrollment.conftest import HEADER, admission_row, xlsx_bytes

pytestmark = pytest.mark.django_db

MUTATIONS = {
    "bad_date": lambda row: {**row, "CSRQ": "2007-02-30"},
    "wrong_check_digit": lambda row: {
        **row,
        "ZJHM": row["ZJHM"][:17] + ("0" if row["ZJHM"][17] != "0" else "1"),
    },
    "huge_string": lambda row: {**row, "XM": "长" * 5000},
    "formula": lambda row: {**row, "XM": '=HYPERLINK("http://x","y")'},
    "plus_formula": lambda row: {**row, "BZ": "+cmd|' /C calc'!A0"},
    "unknown_code": lambda row: {**row, "MZ": "火星族"},
    "missing_required": lambda row: {**row, "KSH": ""},
    "garbage_type": lambda row: {**row, "RXRQ": 3.14159},
}
# The column each mutation breaks: renaming that column's header would hide the mutation.
MUTATED_COLUMN = {
    "bad_date": "CSRQ",
    "wrong_check_digit": "ZJHM",
    "huge_string": "XM",
    "formula": "XM",
    "plus_formula": "BZ",
    "unknown_code": "MZ",
    "missing_required": "KSH",
    "garbage_type": "RXRQ",
}


@st.composite
def malformed_sheets(draw, major):
    count = draw(st.integers(min_value=1, max_value=6))
    rows = [admission_row(n, major) for n in range(1, count + 1)]
    bad = draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=4))
    targets = draw(
        st.lists(st.integers(min_value=0, max_value=count - 1), min_size=len(bad), max_size=len(bad))
    )
    for name, index in zip(bad, targets, strict=True):
        rows[index] = MUTATIONS[name](rows[index])
    header = list(HEADER)
    untouched = [i for i, name in enumerate(HEADER) if name not in {MUTATED_COLUMN[m] for m in bad}]
    if draw(st.booleans()):
        header[draw(st.sampled_from(untouched))] = draw(st.sampled_from(["???", "", "考 生号", "KSH"]))
    table = [header] + [[r.get(h, "") for h in HEADER] for r in rows]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        table.insert(draw(st.integers(min_value=1, max_value=len(table))), [None] * len(header))
    return table


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_admission_sheets_give_row_errors_and_write_nothing(data, registrar, term, major_a):
    table = data.draw(malformed_sheets(major_a))
    content = xlsx_bytes(table)
    result = admission_import(
        actor=registrar, year=2026, sheet=parse_admissions(content, "x.xlsx"), file_name="x.xlsx"
    )
    assert result.errors
    assert all(e.reason for e in result.errors)
    assert not AdmissionRecord.objects.exists()


@settings(max_examples=30, deadline=None)
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.xlsx", "a.dbf", "a.txt"]))
def test_arbitrary_bytes_are_a_file_error_not_a_crash(content, name):
    for parse in (parse_admissions, parse_review_results):
        assert parse(content, name).errors


@settings(max_examples=30, deadline=None)
@given(
    cells=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
                st.integers(),
                st.floats(allow_nan=False),
            ),
            min_size=1,
            max_size=18,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_cells_under_platform_headers_never_crash_parsing(cells):
    sheet = parse_admissions(xlsx_bytes([HEADER, *cells]), "x.xlsx")
    assert isinstance(sheet.errors, list)


def test_error_sheet_survives_control_characters_in_the_upload():
    from enrollment import exports
    from enrollment.imports import RowError

    assert exports.error_sheet([["XM"], ["a\x1fb"]], [RowError(2, "姓名", "x")])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_sheets_through_the_api_are_400_never_500(data, client_for, registrar, term, major_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = xlsx_bytes(data.draw(malformed_sheets(major_a)))
    response = client_for(registrar).post(
        "/api/enrollment/imports/", {"file": SimpleUploadedFile("x.xlsx", content), "year": 2026}
    )
    assert response.status_code == 400 and response.json()["errors"]
    assert not AdmissionRecord.objects.exists()
