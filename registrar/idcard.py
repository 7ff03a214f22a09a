"""证件号码: the one stored form of every id number, GB 11643 checks, and who sees it in full.

Every path that writes an id number (import, correction, student data) stores
``clean_id_number``'s result: NFKC-normalised, so that a full-width ５ is the
ASCII 5 it looks like, and then nothing but ASCII letters and digits. One person
thus has one spelling, and the one-学籍 constraint (ENR-6) and the 重名重号 check
(ENR-9) compare like with like; the database refuses any other spelling
(``ID_NUMBER_RULES``). A 居民身份证 is checked against GB 11643-1999 (check
digit, birth date, gender); a 港澳台居民居住证 keeps the same structure but is
checked by its issuing authority; passports and permits only get the character rule.

Full numbers go only to the registrar office (SEC-2), in the national platform's
registration file and as the only id number search; every page shows ``mask``.
"""

import datetime
import functools
import re
import unicodedata
from typing import Any, NamedTuple

from django.db.models import CheckConstraint, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrar.roles import is_registrar

# GB 11643's weights: 2**(18 - position) mod 11 (``check_digit`` sums them in one step).
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Stored forms by 证件类型 (registrar.codes.IdType), as regexes both PostgreSQL and Python read alike.
EIGHTEEN_CHARACTERS = r"^[0-9]{17}[0-9X]$"
LETTERS_AND_DIGITS = r"^[A-Z0-9]{5,30}$"
ID_NUMBER_RULES = {"1": EIGHTEEN_CHARACTERS, "2": EIGHTEEN_CHARACTERS}
OTHER_ID_NUMBER_RULE = LETTERS_AND_DIGITS
ID_PATTERN = re.compile(EIGHTEEN_CHARACTERS, re.ASCII)
ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
ONLY_ASCII_ALNUM = re.compile(r"[0-9A-Z]*")


def in_stored_form() -> Q:
    """Rows whose ``id_type`` and ``id_number`` follow ``ID_NUMBER_RULES`` (regex lookups, PostgreSQL and SQLite)."""
    eighteen = list(ID_NUMBER_RULES)
    return Q(id_type__in=eighteen, id_number__regex=EIGHTEEN_CHARACTERS) | (
        ~Q(id_type__in=eighteen) & Q(id_number__regex=OTHER_ID_NUMBER_RULE)
    )


def id_number_check(name: str) -> CheckConstraint:
    """The database's own refusal of any id number not in its stored form (ENR-6): a look-alike
    digit written by a path that skipped ``clean_id_number`` cannot make a second 学籍."""
    return CheckConstraint(
        condition=in_stored_form(),
        name=name,
        violation_error_message=gettext_lazy("证件号码只能由半角数字0-9和大写字母组成"),
    )


class IdNumberError(ValueError):
    """An id number that is not a valid 居民身份证号码; the message is in the active language."""


class IdNumberFacts(NamedTuple):
    """What an 18-character number encodes (a tuple: one is made per imported row)."""

    birth_date: datetime.date
    gender: str  # GB/T 2261.1: "1" male, "2" female


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits.

    Each weight is 2**(18 - position) mod 11, and 13 ≡ 2 (mod 11): the digits read as a base-13
    numeral, doubled, leave the weighted sum's remainder, in one C call instead of 17 products.
    """
    if len(first17) != len(WEIGHTS) or not first17.isdigit():
        raise ValueError("check_digit needs exactly 17 digits")
    return CHECK_CHARS[int(first17, 13) * 2 % 11]


def normalize(id_number: str) -> str:
    """NFKC, strip and upper-case: a full-width ５ is 5, and an 'x' typed by hand is the check character X.

    Characters NFKC does not fold (an Arabic-Indic ٤, a zero-width space) stay, for the checks to refuse.
    """
    if id_number.isascii():  # NFKC leaves ASCII as it is
        return id_number.strip().upper()
    return unicodedata.normalize("NFKC", id_number).strip().upper()


def _foreign_character(number: str) -> str | None:
    """The first character that is not an ASCII digit or letter, described for the user."""
    if ONLY_ASCII_ALNUM.fullmatch(number):
        return None  # the usual case, in one C call
    for position, char in enumerate(number, start=1):
        if char not in ASCII_ALNUM:
            shown = char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
            return _("第%(position)d位“%(char)s”不是半角数字或字母") % {"position": position, "char": shown}
    return None


def clean_id_number(id_type: str, id_number: str) -> str:
    """证件号码 as stored (ENR-6, ENR-7, ENR-9): normalised, then checked by its type, or ``IdNumberError``.

    The single validator of id numbers: imports, corrections and student data all call it.
    """
    number = normalize(id_number)
    if not number:
        raise IdNumberError(_("证件号码不能为空"))
    if id_type == "1" and ID_PATTERN.fullmatch(number):
        _check_digit_and_birth(number)  # the usual case: 18 ASCII characters, nothing foreign
        return number
    foreign = _foreign_character(number)
    if foreign:
        raise IdNumberError(_("证件号码只能由半角数字0-9和字母组成：%(detail)s") % {"detail": foreign})
    if id_type == "1":
        parse_id_number(number)
    elif not re.fullmatch(ID_NUMBER_RULES.get(id_type, OTHER_ID_NUMBER_RULE), number, re.ASCII):
        if id_type in ID_NUMBER_RULES:
            raise IdNumberError(_("证件号码应为18位，前17位为数字，末位为数字或X"))
        raise IdNumberError(_("证件号码应为5至30位半角数字或字母"))
    return number


def parse_id_number(id_number: str) -> IdNumberFacts:
    """The birth date and gender an 18-character number encodes, or ``IdNumberError``.

    Only ASCII digits count: ``re``'s ``\\d`` and ``int()`` would take any script's digits.
    """
    number = normalize(id_number)
    if not ID_PATTERN.fullmatch(number):
        foreign = _foreign_character(number)
        if foreign:
            raise IdNumberError(
                _("身份证号应为18位，前17位为数字，末位为数字或X：%(detail)s") % {"detail": foreign}
            )
        raise IdNumberError(_("身份证号应为18位，前17位为数字，末位为数字或X"))
    return IdNumberFacts(_check_digit_and_birth(number), "1" if number[16] in "13579" else "2")


def _check_digit_and_birth(number: str) -> datetime.date:
    """The birth date of a number of ``ID_PATTERN``'s shape whose check digit is right, or ``IdNumberError``."""
    if check_digit(number[:17]) != number[17]:
        raise IdNumberError(_("身份证号校验位错误"))
    birth = _encoded_birth_date(number[6:14])
    if birth is None:
        raise IdNumberError(_("身份证号中的出生日期无效"))
    return birth


@functools.lru_cache(maxsize=4096)
def _encoded_birth_date(digits: str) -> datetime.date | None:
    """The date that 8 ASCII digits (YYYYMMDD) name, or None if none does or it is before 1900.

    Cached: an intake's birthdays repeat, thousands of numbers to a date.
    """
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return birth if birth.year >= 1900 else None


def consistency_problems(
    id_number: str, birth_date: datetime.date | None, gender: str | None
) -> list[tuple[str, str]]:
    """(field, reason) pairs where the number disagrees with the stated birth date and gender.

    ``field`` is ``"id_number"``, ``"birth_date"`` or ``"gender"``: the field the
    reason is about, so that callers never need to read the (translated) reason.
    Empty when everything agrees.
    """
    try:
        facts = parse_id_number(id_number)
    except IdNumberError as exc:
        return [("id_number", str(exc))]
    problems = []
    if birth_date is not None and facts.birth_date != birth_date:
        problems.append(
            (
                "birth_date",
                _("出生日期与身份证号不一致（身份证号为%(date)s）")
                % {"date": f"{facts.birth_date:%Y-%m-%d}"},
            )
        )
    if gender in ("1", "2") and facts.gender != gender:
        problems.append(("gender", _("性别与身份证号不一致")))
    return problems


def consistency_errors(id_number: str, birth_date: datetime.date | None, gender: str | None) -> list[str]:
    """Reasons why the number disagrees with the stated birth date and gender (empty when it agrees)."""
    return [reason for _field, reason in consistency_problems(id_number, birth_date, gender)]


def make_id_number(region: str, birth: datetime.date, sequence: int, gender: str) -> str:
    """A valid number for tests and demo data: region (6 digits), birth date, sequence and gender."""
    serial = sequence % 100 * 10 + sequence // 100 % 5 * 2 + (1 if gender == "1" else 0)
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + check_digit(first17)


def mask(id_number: str) -> str:
    """Show only the first 3 and last 4 characters (SEC-2)."""
    if len(id_number) <= 7:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def sees_full_id_numbers(user) -> bool:
    """Who needs full id numbers (SEC-2): the registrar office (and admins), for the national
    platform's registration file and to find a record by the number it holds. Pages, history,
    the audit trail and the API show every role the masked number."""
    return is_registrar(user)


def mask_id_numbers(data: Any) -> Any:
    """A copy of stored JSON (audit before/after, correction values) with every ``id_number`` masked (SEC-2)."""
    if isinstance(data, dict):
        return {
            key: mask(str(value)) if key == "id_number" and value else mask_id_numbers(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [mask_id_numbers(item) for item in data]
    return data


def search_id_number(user, term: str) -> str | None:
    """The id number to look up for a search ``term`` (SEC-2): only a full, valid number, and only
    for those who may see full numbers; a partial number finds nothing, so a mask cannot be undone."""
    if not sees_full_id_numbers(user):
        return None
    number = normalize(term)
    return number if re.fullmatch(LETTERS_AND_DIGITS, number, re.ASCII) else None
