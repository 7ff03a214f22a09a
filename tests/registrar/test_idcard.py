import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registrar.idcard import (
    IdNumberError,
    check_digit,
    consistency_errors,
    make_id_number,
    mask,
    parse_id_number,
)


def test_a_published_sample_number_has_check_digit_x():
    # GB 11643-1999's worked example: 11010519491231002X
    assert check_digit("11010519491231002") == "X"


def test_a_lower_case_x_is_accepted_as_the_check_character():
    facts = parse_id_number("11010519491231002x")
    assert facts.birth_date == datetime.date(1949, 12, 31)
    assert facts.gender == "2"


def test_a_wrong_check_digit_is_refused_in_chinese():
    with pytest.raises(IdNumberError, match="校验位错误"):
        parse_id_number("110105194912310021")


def test_an_impossible_birth_date_is_refused():
    first17 = "11010519490231002"
    with pytest.raises(IdNumberError, match="出生日期无效"):
        parse_id_number(first17 + check_digit(first17))


def test_birth_date_and_gender_must_agree_with_the_number():
    number = make_id_number("110101", datetime.date(2007, 5, 1), 7, "1")
    assert consistency_errors(number, datetime.date(2007, 5, 1), "1") == []
    errors = consistency_errors(number, datetime.date(2007, 5, 2), "2")
    assert errors == ["出生日期与身份证号不一致（身份证号为2007-05-01）", "性别与身份证号不一致"]


@given(
    birth=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2015, 12, 31)),
    sequence=st.integers(min_value=0, max_value=499),
    gender=st.sampled_from(["1", "2"]),
)
def test_every_generated_number_parses_back_to_its_facts(birth, sequence, gender):
    facts = parse_id_number(make_id_number("320102", birth, sequence, gender))
    assert (facts.birth_date, facts.gender) == (birth, gender)


def test_a_masked_number_shows_only_its_ends():
    assert mask("11010519491231002X") == "110***********002X"
