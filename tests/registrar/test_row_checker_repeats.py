"""A row checker remembers the texts that passed in each column: repeats are as checked as the first."""

import pytest
from django.utils import translation

from registrar.codes import Gender
from registrar.sheets.cells import code_table
from registrar.sheets.tables import Column, row_checker

COLUMNS = (
    Column("name", "XM", "姓名", required=True),
    Column("gender", "XBDM", "性别", required=True),
)


def checker():
    return row_checker(COLUMNS, {"gender": code_table(Gender, "性别")}, free_text=frozenset({"name"}))


@pytest.mark.rule("SEC-3")
def test_a_refused_text_is_refused_on_every_row_it_appears_in():
    check = checker()
    first = check({"name": "=HYPERLINK()", "gender": "1"}, 2)
    second = check({"name": "=HYPERLINK()", "gender": "1"}, 3)
    assert [e.row for e in first[1] + second[1]] == [2, 3]


@pytest.mark.rule("SEC-3")
def test_a_text_that_passed_before_gives_the_same_value_again():
    check = checker()
    first, _ = check({"name": "王小明", "gender": "男"}, 2)
    second, errors = check({"name": "王小明", "gender": "男"}, 3)
    assert second == first == {"name": "王小明", "gender": "1"}
    assert errors == []


@pytest.mark.rule("SEC-3")
def test_a_repeated_refusal_is_given_in_the_language_of_each_request():
    check = checker()
    with translation.override("zh-hans"):
        chinese = check({"name": "王\u202e明", "gender": "1"}, 2)[1][0].reason
    with translation.override("en"):
        english = check({"name": "王\u202e明", "gender": "1"}, 2)[1][0].reason
    assert chinese != english and "U+202E" in english
