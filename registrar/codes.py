"""Code tables: every coded value the product stores, with its Chinese name.

Values are the codes of the national standards named on each table; labels are
what users and exported files show. Keep every code table here, so that
imports, exports and forms agree on one list.
"""

from django.db import models


class Gender(models.TextChoices):
    """性别, GB/T 2261.1."""

    UNKNOWN = "0", "未知的性别"
    MALE = "1", "男"
    FEMALE = "2", "女"
    UNSTATED = "9", "未说明的性别"


class Ethnicity(models.TextChoices):
    """民族, GB/T 3304, two-digit codes."""

    HAN = "01", "汉族"
    MONGOL = "02", "蒙古族"
    HUI = "03", "回族"
    TIBETAN = "04", "藏族"
    UYGHUR = "05", "维吾尔族"
    MIAO = "06", "苗族"
    YI = "07", "彝族"
    ZHUANG = "08", "壮族"
    BUYEI = "09", "布依族"
    KOREAN = "10", "朝鲜族"
    MANCHU = "11", "满族"
    DONG = "12", "侗族"
    YAO = "13", "瑶族"
    BAI = "14", "白族"
    TUJIA = "15", "土家族"
    HANI = "16", "哈尼族"
    KAZAKH = "17", "哈萨克族"
    DAI = "18", "傣族"
    LI = "19", "黎族"
    LISU = "20", "傈僳族"
    VA = "21", "佤族"
    SHE = "22", "畲族"
    GAOSHAN = "23", "高山族"
    LAHU = "24", "拉祜族"
    SUI = "25", "水族"
    DONGXIANG = "26", "东乡族"
    NAXI = "27", "纳西族"
    JINGPO = "28", "景颇族"
    KYRGYZ = "29", "柯尔克孜族"
    TU = "30", "土族"
    DAUR = "31", "达斡尔族"
    MULAO = "32", "仫佬族"
    QIANG = "33", "羌族"
    BLANG = "34", "布朗族"
    SALAR = "35", "撒拉族"
    MAONAN = "36", "毛南族"
    GELAO = "37", "仡佬族"
    XIBE = "38", "锡伯族"
    ACHANG = "39", "阿昌族"
    PUMI = "40", "普米族"
    TAJIK = "41", "塔吉克族"
    NU = "42", "怒族"
    UZBEK = "43", "乌孜别克族"
    RUSSIAN = "44", "俄罗斯族"
    EVENK = "45", "鄂温克族"
    DEANG = "46", "德昂族"
    BONAN = "47", "保安族"
    YUGUR = "48", "裕固族"
    GIN = "49", "京族"
    TATAR = "50", "塔塔尔族"
    DERUNG = "51", "独龙族"
    OROQEN = "52", "鄂伦春族"
    HEZHEN = "53", "赫哲族"
    MONBA = "54", "门巴族"
    LHOBA = "55", "珞巴族"
    JINO = "56", "基诺族"
    OTHER = "97", "其他"
    FOREIGN_ORIGIN = "98", "外国血统中国籍人士"


class PoliticalStatus(models.TextChoices):
    """政治面貌, GB/T 4762."""

    CPC_MEMBER = "01", "中共党员"
    CPC_PROBATIONARY = "02", "中共预备党员"
    CYL_MEMBER = "03", "共青团员"
    RCCK = "04", "民革党员"
    CDL = "05", "民盟盟员"
    CNDCA = "06", "民建会员"
    CAPD = "07", "民进会员"
    CPWDP = "08", "农工党党员"
    CZGP = "09", "致公党党员"
    JIUSAN = "10", "九三学社社员"
    TDSGL = "11", "台盟盟员"
    NON_PARTISAN = "12", "无党派人士"
    MASSES = "13", "群众"


class IdType(models.TextChoices):
    """证件类型. Only 居民身份证 numbers carry a GB 11643 check digit."""

    RESIDENT_ID = "1", "居民身份证"
    HMT_RESIDENCE_PERMIT = "2", "港澳台居民居住证"
    PASSPORT = "3", "护照"
    HK_MACAO_PERMIT = "4", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "5", "台湾居民来往大陆通行证"
    OTHER = "9", "其他"


class Level(models.TextChoices):
    """层次 (CC), with the national platform's two-digit codes used in certificate numbers."""

    DOCTORATE = "01", "博士研究生"
    MASTER = "02", "硕士研究生"
    SECOND_BACHELOR = "04", "第二学士学位"
    BACHELOR = "05", "本科"
    JUNIOR_COLLEGE = "06", "专科"


class StudyMode(models.TextChoices):
    """学习形式 (XXXS)."""

    FULL_TIME = "1", "普通全日制"
    PART_TIME = "2", "非全日制"
    SPARE_TIME = "3", "业余"
    CORRESPONDENCE = "4", "函授"
    ONLINE = "5", "网络教育"


class AdmissionType(models.TextChoices):
    """录取类型; the special kinds are marked on the record (ENR-10)."""

    REGULAR = "01", "普通"
    DIRECTED = "02", "定向"
    FREE_TEACHER = "03", "免费师范"
    FREE_MEDICAL = "04", "免费医学"
    NATIONAL_DEFENCE = "05", "国防生"
    MINORITY_PREPARATORY = "06", "少数民族预科"
    MINORITY_BACKBONE = "07", "少数民族高层次骨干人才计划"
    POLITICAL_LEGAL = "08", "政法干警"
    UPGRADE = "09", "专升本"


class EducationLevel(models.TextChoices):
    """学历, GB/T 4658 (the part a higher-education school records)."""

    DOCTORATE_GRADUATED = "11", "博士研究生毕业"
    DOCTORATE_ATTENDED = "13", "博士研究生肄业"
    MASTER_GRADUATED = "14", "硕士研究生毕业"
    MASTER_ATTENDED = "16", "硕士研究生肄业"
    BACHELOR_GRADUATED = "21", "大学本科毕业"
    BACHELOR_COMPLETED = "22", "大学本科结业"
    BACHELOR_ATTENDED = "23", "大学本科肄业"
    JUNIOR_GRADUATED = "31", "大学专科毕业"
    JUNIOR_COMPLETED = "32", "大学专科结业"
    JUNIOR_ATTENDED = "33", "大学专科肄业"
    SENIOR_HIGH = "61", "普通高级中学毕业"
    VOCATIONAL = "62", "中等职业学校毕业"


class StudentStatus(models.TextChoices):
    """学籍状态: the legal standing of an enrolled student."""

    IN_SCHOOL = "in_school", "在籍"
    SUSPENDED = "suspended", "休学"
    RETAINED = "retained", "保留学籍"
    DEREGISTERED = "deregistered", "已注销学籍"
    GRADUATED = "graduated", "毕业"
    COMPLETED = "completed", "结业"


# Statuses in which a person holds a 学籍 here; one per person at a time (ENR-6).
ACTIVE_STUDENT_STATUSES = (StudentStatus.IN_SCHOOL, StudentStatus.SUSPENDED, StudentStatus.RETAINED)


class StatusChangeKind(models.TextChoices):
    """学籍异动 and 学籍注销 kinds, with the sector's two-digit codes."""

    SUSPENSION = "11", "休学"
    RESUMPTION = "12", "复学"
    RETENTION = "13", "保留学籍"
    RESTORATION = "14", "恢复学籍"
    TRANSFER_IN = "21", "转学(转入)"
    TRANSFER_OUT = "22", "转学(转出)"
    MAJOR_CHANGE = "23", "转专业"
    WITHDRAWAL = "31", "退学"
    STATUS_CANCELLED = "41", "取消学籍"
    EXPULSION = "42", "开除学籍"
    DEATH = "51", "死亡"
    REPEAT_YEAR = "61", "留级"
    DEMOTION = "62", "降级"
    GRADE_SKIP = "63", "跳级"
    PROMOTION = "64", "升级"


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

    REGULAR = "1", "普通"
    ADULT = "5", "成人"
    SELF_STUDY = "6", "自考"
    ONLINE = "7", "网络"


def label_of(choices: type[models.TextChoices], code: str) -> str:
    """The Chinese name of ``code`` in ``choices``, or the code itself when unknown."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def code_of(choices: type[models.TextChoices], value: str) -> str | None:
    """The code for a cell that holds either a code or its Chinese name; ``None`` if neither."""
    value = value.strip()
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if label == value:
            return code
    return None
