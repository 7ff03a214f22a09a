"""Code tables: every coded value the product stores, with its Chinese name.

Values are the codes of the national standards named on each table; labels are
what users and exported files show. Keep every code table here, so that
imports, exports and forms agree on one list.
"""

import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    """性别, GB/T 2261.1."""

    UNKNOWN = "0", _("未知的性别")
    MALE = "1", _("男")
    FEMALE = "2", _("女")
    UNSTATED = "9", _("未说明的性别")


class Ethnicity(models.TextChoices):
    """民族, GB/T 3304, two-digit codes."""

    HAN = "01", _("汉族")
    MONGOL = "02", _("蒙古族")
    HUI = "03", _("回族")
    TIBETAN = "04", _("藏族")
    UYGHUR = "05", _("维吾尔族")
    MIAO = "06", _("苗族")
    YI = "07", _("彝族")
    ZHUANG = "08", _("壮族")
    BUYEI = "09", _("布依族")
    KOREAN = "10", _("朝鲜族")
    MANCHU = "11", _("满族")
    DONG = "12", _("侗族")
    YAO = "13", _("瑶族")
    BAI = "14", _("白族")
    TUJIA = "15", _("土家族")
    HANI = "16", _("哈尼族")
    KAZAKH = "17", _("哈萨克族")
    DAI = "18", _("傣族")
    LI = "19", _("黎族")
    LISU = "20", _("傈僳族")
    VA = "21", _("佤族")
    SHE = "22", _("畲族")
    GAOSHAN = "23", _("高山族")
    LAHU = "24", _("拉祜族")
    SUI = "25", _("水族")
    DONGXIANG = "26", _("东乡族")
    NAXI = "27", _("纳西族")
    JINGPO = "28", _("景颇族")
    KYRGYZ = "29", _("柯尔克孜族")
    TU = "30", _("土族")
    DAUR = "31", _("达斡尔族")
    MULAO = "32", _("仫佬族")
    QIANG = "33", _("羌族")
    BLANG = "34", _("布朗族")
    SALAR = "35", _("撒拉族")
    MAONAN = "36", _("毛南族")
    GELAO = "37", _("仡佬族")
    XIBE = "38", _("锡伯族")
    ACHANG = "39", _("阿昌族")
    PUMI = "40", _("普米族")
    TAJIK = "41", _("塔吉克族")
    NU = "42", _("怒族")
    UZBEK = "43", _("乌孜别克族")
    RUSSIAN = "44", _("俄罗斯族")
    EVENK = "45", _("鄂温克族")
    DEANG = "46", _("德昂族")
    BONAN = "47", _("保安族")
    YUGUR = "48", _("裕固族")
    GIN = "49", _("京族")
    TATAR = "50", _("塔塔尔族")
    DERUNG = "51", _("独龙族")
    OROQEN = "52", _("鄂伦春族")
    HEZHEN = "53", _("赫哲族")
    MONBA = "54", _("门巴族")
    LHOBA = "55", _("珞巴族")
    JINO = "56", _("基诺族")
    OTHER = "97", _("其他")
    FOREIGN_ORIGIN = "98", _("外国血统中国籍人士")


class PoliticalStatus(models.TextChoices):
    """政治面貌, GB/T 4762 (the standard's other names are accepted on import: ``ALIASES``)."""

    CPC_MEMBER = "01", _("中共党员")
    CPC_PROBATIONARY = "02", _("中共预备党员")
    CYL_MEMBER = "03", _("共青团员")
    RCCK = "04", _("民革党员")
    CDL = "05", _("民盟盟员")
    CNDCA = "06", _("民建会员")
    CAPD = "07", _("民进会员")
    CPWDP = "08", _("农工党党员")
    CZGP = "09", _("致公党党员")
    JIUSAN = "10", _("九三学社社员")
    TDSGL = "11", _("台盟盟员")
    NON_PARTISAN = "12", _("无党派人士")
    MASSES = "13", _("群众")


class IdType(models.TextChoices):
    """证件类型. Only 居民身份证 numbers carry a GB 11643 check digit."""

    RESIDENT_ID = "1", _("居民身份证")
    HMT_RESIDENCE_PERMIT = "2", _("港澳台居民居住证")
    PASSPORT = "3", _("护照")
    HK_MACAO_PERMIT = "4", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "5", _("台湾居民来往大陆通行证")
    OTHER = "9", _("其他")


class Level(models.TextChoices):
    """层次 (CC), with the national platform's two-digit codes used in certificate numbers."""

    DOCTORATE = "01", _("博士研究生")
    MASTER = "02", _("硕士研究生")
    SECOND_BACHELOR = "04", _("第二学士学位")
    BACHELOR = "05", _("本科")
    JUNIOR_COLLEGE = "06", _("专科")


class StudyMode(models.TextChoices):
    """学习形式 (XXXS)."""

    FULL_TIME = "1", _("普通全日制")
    PART_TIME = "2", _("非全日制")
    SPARE_TIME = "3", _("业余")
    CORRESPONDENCE = "4", _("函授")
    ONLINE = "5", _("网络教育")


class AdmissionType(models.TextChoices):
    """录取类型; the special kinds are marked on the record (ENR-10)."""

    REGULAR = "01", _("普通")
    DIRECTED = "02", _("定向")
    FREE_TEACHER = "03", _("免费师范")
    FREE_MEDICAL = "04", _("免费医学")
    NATIONAL_DEFENCE = "05", _("国防生")
    MINORITY_PREPARATORY = "06", _("少数民族预科")
    MINORITY_BACKBONE = "07", _("少数民族高层次骨干人才计划")
    POLITICAL_LEGAL = "08", _("政法干警")
    UPGRADE = "09", _("专升本")


class EducationLevel(models.TextChoices):
    """学历, GB/T 4658-2006 (the part a higher-education school records)."""

    DOCTORATE_GRADUATED = "11", _("博士研究生毕业")
    DOCTORATE_COMPLETED = "12", _("博士研究生结业")
    DOCTORATE_ATTENDED = "13", _("博士研究生肄业")
    MASTER_GRADUATED = "14", _("硕士研究生毕业")
    MASTER_COMPLETED = "15", _("硕士研究生结业")
    MASTER_ATTENDED = "16", _("硕士研究生肄业")
    BACHELOR_GRADUATED = "21", _("大学本科毕业")
    BACHELOR_COMPLETED = "22", _("大学本科结业")
    BACHELOR_ATTENDED = "23", _("大学本科肄业")
    JUNIOR_GRADUATED = "31", _("大学专科毕业")
    JUNIOR_COMPLETED = "32", _("大学专科结业")
    JUNIOR_ATTENDED = "33", _("大学专科肄业")
    SECONDARY_SPECIALISED = "41", _("中等专科毕业")
    VOCATIONAL_HIGH = "44", _("职业高中毕业")
    TECHNICAL_SCHOOL = "47", _("技工学校毕业")
    SENIOR_HIGH_GRADUATED = "61", _("普通高中毕业")
    SENIOR_HIGH_COMPLETED = "62", _("普通高中结业")
    SENIOR_HIGH_ATTENDED = "63", _("普通高中肄业")


class StudentStatus(models.TextChoices):
    """学籍状态: the legal standing of an enrolled student."""

    IN_SCHOOL = "in_school", pgettext_lazy("student status", "在籍")
    SUSPENDED = "suspended", pgettext_lazy("student status", "休学")
    RETAINED = "retained", pgettext_lazy("student status", "保留学籍")
    DEREGISTERED = "deregistered", pgettext_lazy("student status", "已注销学籍")
    GRADUATED = "graduated", pgettext_lazy("student status", "毕业")
    COMPLETED = "completed", pgettext_lazy("student status", "结业")
    # ENR-5: a registered freshman found unfit for health reasons takes 保留入学资格; no 学籍 meanwhile (ENR-4).
    ADMISSION_DEFERRED = "deferred", pgettext_lazy("student status", "保留入学资格（不具有学籍）")


# Statuses in which a person holds a 学籍 here; one per person at a time (ENR-6).
ACTIVE_STUDENT_STATUSES = (StudentStatus.IN_SCHOOL, StudentStatus.SUSPENDED, StudentStatus.RETAINED)


class StatusChangeKind(models.TextChoices):
    """学籍异动 and 学籍注销 kinds, with the codes of the sector's 学籍异动类别 list (ANN-4)."""

    PROMOTION = "01", pgettext_lazy("status change", "升级")
    REPEAT_YEAR = "02", pgettext_lazy("status change", "留级")
    DEMOTION = "03", pgettext_lazy("status change", "降级")
    GRADE_SKIP = "04", pgettext_lazy("status change", "跳级")
    SUSPENSION = "11", pgettext_lazy("status change", "休学")
    RESUMPTION = "12", pgettext_lazy("status change", "复学")
    STOPPED = "13", pgettext_lazy("status change", "停学")
    RESTORATION = "17", pgettext_lazy("status change", "恢复学籍")
    STATUS_CANCELLED = "18", pgettext_lazy("status change", "取消学籍")
    RETENTION = "19", pgettext_lazy("status change", "保留学籍")
    TRANSFER_OUT = "21", pgettext_lazy("status change", "转学（转出）")
    TRANSFER_IN = "22", pgettext_lazy("status change", "转学（转入）")
    MAJOR_CHANGE = "23", pgettext_lazy("status change", "转专业")
    WITHDRAWAL = "31", pgettext_lazy("status change", "退学")
    EXPULSION = "42", pgettext_lazy("status change", "开除学籍")
    DEATH = "51", pgettext_lazy("status change", "死亡")
    OTHER = "99", pgettext_lazy("status change", "其他")


DEREGISTRATION_KINDS = (
    StatusChangeKind.WITHDRAWAL,
    StatusChangeKind.STATUS_CANCELLED,
    StatusChangeKind.EXPULSION,
    StatusChangeKind.DEATH,
)
# Kinds that a school on the credit system (学分制) does not mark (ANN-4).
GRADE_KINDS = (StatusChangeKind.REPEAT_YEAR, StatusChangeKind.DEMOTION, StatusChangeKind.GRADE_SKIP)


class SchoolType(models.TextChoices):
    """办学类型, the sixth digit of a certificate number."""

    REGULAR = "1", _("普通")
    ADULT = "5", _("成人")
    SELF_STUDY = "6", _("自考")
    ONLINE = "7", _("网络")


def label_of(choices: type[models.TextChoices], code: str) -> str:
    """The name of ``code`` in ``choices`` in the active language, or the code itself when unknown.

    For files that must carry the Chinese name whatever the page's language, use ``chinese_label_of``.
    """
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@functools.cache
def chinese_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """``{code: Chinese name}`` of a code table, whatever the active language.

    The labels are lazy translations whose msgids are the Chinese names; the
    national platform's files and the files users upload hold those names.
    """
    with translation.override("zh-hans"):
        return {code: str(label) for code, label in choices.choices}


# Other names the standards (or earlier versions of these tables) give a code, accepted on import.
ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Gender: {"男性": "1", "女性": "2"},
    PoliticalStatus: {
        "中国共产党党员": "01",
        "中国共产党预备党员": "02",
        "中国共产主义青年团团员": "03",
        "中国国民党革命委员会会员": "04",
        "民革会员": "04",
        "中国民主同盟盟员": "05",
        "中国民主建国会会员": "06",
        "中国民主促进会会员": "07",
        "中国农工民主党党员": "08",
        "中国致公党党员": "09",
        "台湾民主自治同盟盟员": "11",
        "无党派民主人士": "12",
    },
    EducationLevel: {"普通高级中学毕业": "61"},
    StatusChangeKind: {"转学(转出)": "21", "转学(转入)": "22"},
}


@functools.cache
def codes_by_chinese_name(choices: type[models.TextChoices]) -> dict[str, str]:
    """``{Chinese name: code}`` of a code table, whatever the active language, with the standards' other names."""
    return {**ALIASES.get(choices, {}), **{name: code for code, name in chinese_names(choices).items()}}


def chinese_label_of(choices: type[models.TextChoices], code: str) -> str:
    """The Chinese name of ``code`` in ``choices`` whatever the active language, or the code when unknown."""
    return chinese_names(choices).get(code, code)


def code_of(choices: type[models.TextChoices], value: str) -> str | None:
    """The code for a cell that holds either a code or its Chinese name; ``None`` if neither.

    The Chinese name matches whatever the active language: uploaded files and form input are Chinese.
    """
    value = value.strip()
    if value in choices.values:
        return value
    return codes_by_chinese_name(choices).get(value)
