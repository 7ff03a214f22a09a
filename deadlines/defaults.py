"""The deadline rules of the four policy texts, as data (POLICY.md ENR-4, ENR-5, ANN-2, ANN-5, ANN-6,
ANN-12, DIP-5, DIP-9, DIP-11).

Plain data, imported by the data migration and by ``deadline_rules_seed``: no
model imports here. Rows with ``policy="national"`` are the defaults; a row of
another policy replaces the national row of the same code when the school's
``deadline_policy`` selects it.
"""

from __future__ import annotations

from typing import Any

# Kind keys. The enrollment app registers the first two; the others wait for their apps.
FRESHMAN_REVIEW = "enrollment.freshman_review"
DEFERRAL_EXPIRY = "enrollment.deferral_expiry"
ANNUAL_REGISTRATION = "annual_registration.registration"
DEREGISTRATION = "annual_registration.deregistration"
STATUS_CHANGE = "annual_registration.status_change"
# DL's internal step of ANN-2: the colleges' lists handed in (submitted), not decided.
DEFERRAL_LIST = "annual_registration.deferral_list"
# The end of a 休学 or 保留学籍 (ANN-3): settled by 复学, 恢复学籍 or a decision before it passes.
PERIOD_END = "annual_registration.period_end"
# One school-level report a year, not a clock per student (ANN-12).
ANNUAL_STATISTICS_REPORT = "annual_registration.statistics_report"
PHOTO_CHECK = "diploma.photo_check"
DIPLOMA_REGISTRATION = "diploma.registration"
COMPLETION_EXCHANGE = "diploma.completion_exchange"


def _rule(code: str, name: str, kind: str, clock: str, unit: str, length: int = 0, **extra: Any) -> dict:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "clock": clock,
        "unit": unit,
        "length": length,
        "fixed_day": extra.pop("fixed_day", ""),
        "enabled": extra.pop("enabled", True),
        "policy": extra.pop("policy", "national"),
        "rule_ids": extra.pop("rule_ids", ""),
        "basis": extra.pop("basis", ""),
    }


DEFAULT_RULES: list[dict[str, Any]] = [
    # Freshman registration
    _rule(
        "freshman_review",
        "新生入学资格复查（入学后3个月内）",
        FRESHMAN_REVIEW,
        "term_start",
        "months",
        3,
        rule_ids="ENR-5",
        basis="DL第八条；JL第九条（第一学期开学后3个月内）",
    ),
    _rule(
        "deferral_expiry",
        "保留入学资格期满办理入学",
        DEFERRAL_EXPIRY,
        "deferral_end",
        "days",
        0,
        rule_ids="ENR-4",
        basis="DL第七条",
    ),
    # Annual registration
    _rule(
        "annual_registration",
        "学年注册（开学后1个月内）",
        ANNUAL_REGISTRATION,
        "term_start",
        "months",
        1,
        rule_ids="ANN-2",
        basis="《电子注册办法》第十三条；SH二(二)3",
    ),
    _rule(
        "annual_registration_internal",
        "学年注册校内目标（开学后2个月，仅供参考）",
        ANNUAL_REGISTRATION,
        "term_start",
        "months",
        2,
        enabled=False,
        policy="jl",
        rule_ids="ANN-2",
        basis="JL第二十一条；宽于《电子注册办法》第十三条的1个月，按N28以国家规定为准，仅作校内目标",
    ),
    _rule(
        "deferral_lists",
        "学院报送暂缓注册名单（9月底前）",
        DEFERRAL_LIST,
        "term_start",
        "fixed_date",
        fixed_day="09-30",
        policy="dl",
        rule_ids="ANN-2",
        basis="DL第十条(二)；学年注册仍为开学后1个月内",
    ),
    _rule(
        "annual_registration_report",
        "学年电子注册情况统计表上报（10月30日前）",
        ANNUAL_STATISTICS_REPORT,
        "term_start",
        "fixed_date",
        fixed_day="10-30",
        enabled=False,
        rule_ids="ANN-12",
        basis="国家规定未设；JL第二十一条",
    ),
    _rule(
        "annual_registration_report",
        "学年电子注册情况统计表上报（10月30日前）",
        ANNUAL_STATISTICS_REPORT,
        "term_start",
        "fixed_date",
        fixed_day="10-30",
        policy="jl",
        rule_ids="ANN-12",
        basis="JL第二十一条（全校一份统计表）",
    ),
    _rule(
        "period_end",
        "休学、保留学籍期满办理复学或学籍处理",
        PERIOD_END,
        "period_end",
        "days",
        0,
        rule_ids="ANN-3",
        basis="DL第十条(一)；期满未复学由教务处处理，不自动退学",
    ),
    _rule(
        "deregistration_report",
        "学籍注销（学籍处理后15个工作日内）",
        DEREGISTRATION,
        "decision_date",
        "workdays",
        15,
        rule_ids="ANN-5",
        basis="《电子注册办法》第十三条；DL第十条(三)",
    ),
    _rule(
        "status_change_report",
        "学籍异动更新（发文后N个工作日内）",
        STATUS_CHANGE,
        "decision_date",
        "workdays",
        30,
        enabled=False,
        rule_ids="ANN-6",
        basis="国家规定未设，随学年注册标注；学校可启用并设定N",
    ),
    _rule(
        "status_change_report",
        "学籍异动更新（发文后30个工作日内）",
        STATUS_CHANGE,
        "decision_date",
        "workdays",
        30,
        policy="sh",
        rule_ids="ANN-6",
        basis="SH二(二)3",
    ),
    # Diploma registration
    _rule(
        "photo_check",
        "毕业生图像校对（采集40天后开放，截止由学校设定）",
        PHOTO_CHECK,
        "photo_capture",
        "days",
        60,
        enabled=False,
        rule_ids="DIP-9",
        basis="JL第二十八条(一)：拍摄40天之后校对，第40天是开放日而非期限；各文本未定截止期限，60天为待学校设定的参考值",
    ),
    _rule(
        "diploma_registration",
        "学历证书电子注册（毕业时）",
        DIPLOMA_REGISTRATION,
        "graduation_date",
        "days",
        0,
        rule_ids="DIP-5",
        basis="《电子注册办法》第十六、十八条",
    ),
    _rule(
        "completion_exchange",
        "结业换发毕业证书注册（10月底）",
        COMPLETION_EXCHANGE,
        "graduation_date",
        "fixed_date",
        fixed_day="10-31",
        policy="sh",
        rule_ids="DIP-11",
        basis="SH三(五)2(4)",
    ),
]
