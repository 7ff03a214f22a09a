import datetime
import os
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registrar.idcard import (
    IdNumberError,
    check_digit,
    clean_id_number,
    consistency_errors,
    make_id_number,
    mask,
    mask_id_numbers,
    parse_id_number,
    search_id_number,
    sees_full_id_numbers,
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


# ---------------------------------------------------------------- one spelling per number (ENR-6, ENR-9)

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None)
REAL = "11010519491231002X"


@pytest.mark.rule("ENR-6")
def test_a_full_width_number_is_stored_as_its_ascii_digits():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in REAL)  # １１０…００２Ｘ
    assert clean_id_number("1", full_width) == REAL


@pytest.mark.rule("ENR-6")
def test_a_lower_case_full_width_x_is_the_check_character():
    assert clean_id_number("1", REAL[:-1] + "ｘ") == REAL


@pytest.mark.rule("ENR-6")
@pytest.mark.parametrize(
    "look_alike",
    ["\u0664", "\u06f4", "\u0966", "\u0e54"],  # Arabic-Indic ٤, Persian ۴, Devanagari ०, Thai ๔
)
def test_a_digit_of_another_script_is_refused_and_named(look_alike):
    number = REAL[:5] + look_alike + REAL[6:]
    with pytest.raises(IdNumberError, match="第6位"):
        clean_id_number("1", number)


@pytest.mark.rule("ENR-6")
def test_parse_refuses_a_look_alike_digit_that_int_would_accept():
    first17 = "110105194912310" + "\u0664" + "2"
    assert int("\u0664") == 4  # why \\d and int() were not enough
    with pytest.raises(IdNumberError, match="不是半角数字"):
        parse_id_number(first17 + "X")


@pytest.mark.rule("ENR-6")
def test_a_zero_width_space_inside_a_number_is_refused():
    with pytest.raises(IdNumberError, match="U\\+200B"):
        clean_id_number("1", REAL[:9] + "\u200b" + REAL[9:])


@pytest.mark.rule("ENR-7")
def test_a_passport_number_is_letters_and_digits_only():
    assert clean_id_number("3", " e1234567８ ") == "E12345678"
    with pytest.raises(IdNumberError, match="半角数字0-9和字母"):
        clean_id_number("3", "E1234-5678")


@pytest.mark.rule("ENR-7")
def test_a_residence_permit_keeps_the_eighteen_character_form():
    assert clean_id_number("2", "810000199901011234") == "810000199901011234"
    with pytest.raises(IdNumberError, match="18位"):
        clean_id_number("2", "81000019990101123")


@pytest.mark.rule("SEC-2")
def test_full_numbers_are_for_the_registrar_office_only(
    registrar, admin_user, college_a_staff, auditor, student_a
):
    assert sees_full_id_numbers(registrar) and sees_full_id_numbers(admin_user)
    assert not any(sees_full_id_numbers(u) for u in (college_a_staff, auditor, student_a))


@pytest.mark.rule("SEC-2")
def test_nested_id_numbers_in_stored_json_are_masked():
    data = {"id_number": REAL, "answer": {"id_number": REAL, "name": "王五"}, "rows": [{"id_number": REAL}]}
    assert REAL not in str(mask_id_numbers(data))
    assert mask_id_numbers(data)["answer"]["name"] == "王五"


@pytest.mark.rule("SEC-2")
def test_only_a_full_number_is_searched_and_only_for_the_registrar(registrar, college_a_staff):
    assert search_id_number(registrar, REAL.lower()) == REAL
    assert search_id_number(registrar, "0519") is None
    assert search_id_number(college_a_staff, REAL) is None


@pytest.mark.fuzz
@pytest.mark.rule("ENR-6")
@FUZZ
@given(text=st.text(min_size=1, max_size=20))
def test_whatever_is_typed_the_stored_form_is_ascii_letters_and_digits(text):
    try:
        number = clean_id_number("3", text)
    except IdNumberError:
        return
    assert re.fullmatch(r"[A-Z0-9]{5,30}", number)


@pytest.mark.fuzz
@pytest.mark.rule("ENR-6")
@FUZZ
@given(
    birth=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2015, 12, 31)),
    sequence=st.integers(min_value=0, max_value=499),
    position=st.integers(min_value=0, max_value=16),
    digit_zero=st.sampled_from([0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10, 0x1D7CE]),
)
def test_one_look_alike_digit_is_either_the_same_number_or_refused(birth, sequence, position, digit_zero):
    """Full-width and mathematical digits fold to the real number; other scripts' digits are refused."""
    number = make_id_number("320102", birth, sequence, "1")
    look_alike = chr(digit_zero + int(number[position]))
    typed = number[:position] + look_alike + number[position + 1 :]
    if unicodedata.normalize("NFKC", look_alike) == number[position]:
        assert clean_id_number("1", typed) == number
    else:
        with pytest.raises(IdNumberError):
            clean_id_number("1", typed)
