"""Code tables against their standards: the names files carry, and the codes the platform expects."""

import pytest

from registrar import codes


@pytest.mark.parametrize(
    ("table", "name", "code"),
    [
        (codes.Gender, "男性", "1"),
        (codes.Gender, "女性", "2"),
        (codes.PoliticalStatus, "民革会员", "04"),
        (codes.PoliticalStatus, "中国国民党革命委员会会员", "04"),
        (codes.PoliticalStatus, "无党派民主人士", "12"),
        (codes.PoliticalStatus, "中国共产主义青年团团员", "03"),
        (codes.PoliticalStatus, "共青团员", "03"),
    ],
)
def test_an_import_accepts_the_standard_s_full_and_short_names(table, name, code):
    """GB/T 2261.1 writes 男性/女性 and GB/T 4762 the parties' full names; files use either."""
    assert codes.code_of(table, name) == code


def test_education_levels_follow_gb_t_4658_2006():
    levels = dict(codes.EducationLevel.choices)
    assert (levels["12"], levels["15"], levels["62"]) == ("博士研究生结业", "硕士研究生结业", "普通高中结业")
    assert codes.code_of(codes.EducationLevel, "普通高级中学毕业") == "61"


@pytest.mark.rule("ANN-4")
def test_status_change_kinds_carry_the_sector_s_codes():
    by_name = codes.codes_by_chinese_name(codes.StatusChangeKind)
    expected = {
        "留级": "02", "降级": "03", "跳级": "04", "休学": "11", "复学": "12", "停学": "13",
        "恢复学籍": "17", "取消学籍": "18", "保留学籍": "19", "转学（转出）": "21", "转学（转入）": "22",
        "转专业": "23", "退学": "31", "开除学籍": "42", "死亡": "51", "其他": "99",
    }  # fmt: skip
    assert {name: by_name[name] for name in expected} == expected


@pytest.mark.rule("ANN-5")
def test_deregistration_kinds_are_the_four_of_the_rule():
    names = {codes.chinese_label_of(codes.StatusChangeKind, kind) for kind in codes.DEREGISTRATION_KINDS}
    assert names == {"退学", "取消学籍", "开除学籍", "死亡"}
