"""What each kind of status change does by default (ANN-4, ANN-5): plain data, seeded by a migration.

The registrar edits the rows afterwards (``ChangeKindSetting``); nothing here is
read at run time but by the seed. Codes are the sector's 学籍异动类别 list
(``registrar.codes.StatusChangeKind``); ``transition`` names a ``Student``
transition (its declared sources decide who may take the change).
"""

from __future__ import annotations

from typing import Any

PLACEMENT = ("college", "major", "grade", "expected_graduation_date", "program_years")


def _kind(
    code: str, transition: str = "", *, in_school: bool = True, changes: tuple[str, ...] = (), **flags: Any
) -> dict:
    return {
        "kind": code,
        "transition": transition,
        "in_school": in_school,
        **{f"changes_{name}": name in changes for name in PLACEMENT},
        "needs_period": flags.get("needs_period", False),
        "needs_other_school": flags.get("needs_other_school", False),
        # N12: a school on the credit system need not mark 留级, 降级, 跳级.
        "hidden_under_credit_system": flags.get("hidden_under_credit_system", False),
        "enabled": flags.get("enabled", True),
    }


GRADE = ("grade", "expected_graduation_date")

DEFAULT_KIND_SETTINGS: list[dict[str, Any]] = [
    _kind("01", changes=GRADE),  # 升级
    _kind("02", changes=GRADE, hidden_under_credit_system=True),  # 留级
    _kind("03", changes=GRADE, hidden_under_credit_system=True),  # 降级
    _kind("04", changes=GRADE, hidden_under_credit_system=True),  # 跳级
    _kind("11", "suspend", in_school=False, needs_period=True),  # 休学
    _kind("12", "resume", changes=GRADE),  # 复学, often into the next grade
    # 停学: stops studying for a period, keeping the 学籍, as a 休学 does. The product's 学籍状态 has no
    # 停学 of its own (GLOSSARY: in school, suspended, retained, …), so approval suspends the student
    # and 复学 (12) ends it; the case keeps its own code 13 for the platform's file.
    _kind("13", "suspend", in_school=False, needs_period=True),  # 停学
    _kind("17", "restore", changes=GRADE),  # 恢复学籍
    _kind("18", "deregister", in_school=False),  # 取消学籍
    _kind("19", "retain", in_school=False, needs_period=True),  # 保留学籍
    _kind("21", "deregister", in_school=False, needs_other_school=True),  # 转学（转出）
    _kind("22", changes=PLACEMENT, needs_other_school=True),  # 转学（转入）
    _kind("23", changes=PLACEMENT),  # 转专业
    _kind("31", "deregister", in_school=False),  # 退学
    _kind("42", "deregister", in_school=False),  # 开除学籍
    _kind("51", "deregister", in_school=False),  # 死亡
    _kind("99"),  # 其他: recorded, nothing moves
]
