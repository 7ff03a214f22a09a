"""居民身份证号码 (GB 11643-1999): check digit, birth date and gender.

Other id types (港澳台居民居住证 keeps the same structure but is checked by the
issuing authority; passports have none) are not checked here.
"""

import datetime
import operator
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


class IdNumberError(ValueError):
    """An id number that is not a valid 居民身份证号码; the message is in the active language."""


@dataclass(frozen=True)
class IdNumberFacts:
    birth_date: datetime.date
    gender: str  # GB/T 2261.1: "1" male, "2" female


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    if len(first17) != len(WEIGHTS):
        raise ValueError("check_digit needs exactly 17 digits")
    total = sum(map(operator.mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalize(id_number: str) -> str:
    """Upper-case and strip: an 'x' typed by hand is the check character X."""
    return id_number.strip().upper()


def parse_id_number(id_number: str) -> IdNumberFacts:
    """The birth date and gender an 18-character number encodes, or ``IdNumberError``."""
    number = normalize(id_number)
    if not ID_PATTERN.match(number):
        raise IdNumberError(_("身份证号应为18位，前17位为数字，末位为数字或X"))
    if check_digit(number[:17]) != number[17]:
        raise IdNumberError(_("身份证号校验位错误"))
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError(_("身份证号中的出生日期无效")) from exc
    if birth.year < 1900:
        raise IdNumberError(_("身份证号中的出生日期无效"))
    return IdNumberFacts(birth_date=birth, gender="1" if int(number[16]) % 2 else "2")


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
