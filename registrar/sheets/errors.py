"""Why a file is refused as a whole: ``FileFormatError`` (translated) and ``Unreadable`` (a code).

The child process that reads a file has no translations at hand: it raises ``Unreadable`` with a
code and its parameters, and the parent turns it into a ``FileFormatError`` in the active language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class FileFormatError(Exception):
    """The file cannot be read at all; the message is in the active language."""


class Unreadable(Exception):
    """A file refused where gettext is not at hand: ``code`` names the reason in ``REASONS``."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


REASONS = {
    "not_xlsx": _("无法读取该文件，请上传 xlsx 格式的表格"),
    "unknown_type": _("只接受 xlsx 或 DBF 文件"),
    "too_large": _("文件大小为%(size)s，超过上限%(limit)s；请分批导入"),
    "uncompressed": _("文件解压后为%(size)s，超过上限%(limit)s；请删除多余内容或分批导入"),
    "size_mismatch": _("文件已损坏：压缩包内“%(name)s”的实际大小与声明不符"),
    "too_many_entries": _("文件已损坏：压缩包内有%(count)s个部件，超过上限%(limit)s"),
    "too_many_files": _("压缩包内有%(count)s个文件，超过上限%(limit)s；请分批导入"),
    "not_zip": _("无法读取该文件，请上传 zip 格式的压缩包"),
    "dimension": _("表格范围为%(ref)s，超过上限（最多%(rows)s行、%(columns)s列）；请删除多余的行列"),
    "cell_ref": _("单元格位置“%(ref)s”超出范围（最多%(rows)s行、%(columns)s列）"),
    "row_ref": _("行号%(row)s超出范围（最多%(rows)s行）"),
    "bad_ref": _("文件已损坏：单元格位置“%(ref)s”无效"),
    "rows": _("文件超过%(limit)s行，请分批导入"),
    "columns": _("文件超过%(limit)s列，请删除多余的列"),
    "panic": _("文件无法解析：表格中有无法识别的内容（如超出范围的日期或无效的单元格）"),
    "crashed": _("文件无法解析：读取时超出内存或时间上限，文件可能已损坏或内容过大"),
    "timeout": _("文件无法解析：读取超过%(seconds)s秒，文件可能已损坏或内容过大"),
    "dbf_short": _("DBF 文件不完整"),
    "dbf_header": _("DBF 文件头损坏"),
    "dbf_no_fields": _("DBF 文件没有字段"),
    "dbf_truncated": _("DBF 文件不完整：文件头记录数为%(count)s，但文件只容纳%(held)s条记录"),
    "dbf_trailing": _("DBF 文件长度与文件头不符：记录之后多出%(extra)s字节"),
    "dbf_encoding": _(
        "DBF 文件应为%(expected)s编码，但内容似乎是%(found)s编码（如第%(row)s行“%(field)s”）；请按%(expected)s另存后重试"
    ),
}


def file_error(problem: Unreadable) -> FileFormatError:
    """The refusal in the active language."""
    message = str(REASONS[problem.code])
    return FileFormatError(message % problem.params if problem.params else message)


def megabytes(size: int) -> str:
    """A byte count as users read it: 20 MB, 1.5 GB."""
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GB"
    return f"{size / (1 << 20):.1f} MB".replace(".0 MB", " MB")
