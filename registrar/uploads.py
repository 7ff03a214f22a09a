"""The upload toolkit every list page shares: progress, the error sheet to download, file responses.

A page that takes a file shows ``registrar/uploads/_progress.html`` and
``registrar/uploads/_errors.html``; its view reports phases through
``UploadProgress`` and keeps the error sheet with ``remember_errors``.
Both are per user: nobody reads another's progress or errors.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from registrar.idcard import sees_full_id_numbers
from registrar.models import College
from registrar.roles import is_college_staff
from registrar.sheets.platform import PlatformFile, RareCharacters
from registrar.sheets.tables import RowError, error_sheet, raw_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_KEPT_SECONDS = 3600
# Uploads being read or written now, school-wide, for the registrar's home page (issue 10, item 2).
RUNNING_KEY = "uploads:running"
RUNNING_FORGOTTEN_AFTER_SECONDS = 600


def content_disposition(filename: str) -> str:
    """``attachment`` under ``filename``: RFC 6266 with the RFC 5987 ``filename*`` for a Chinese name.

    Browsers read ``filename*`` (UTF-8, percent-encoded); the plain ``filename`` is an ASCII
    stand-in with the same extension for the few clients that do not.
    """
    if filename.isascii() and filename.isprintable() and '"' not in filename and "\\" not in filename:
        return f'attachment; filename="{filename}"'
    suffix = PurePosixPath(filename).suffix
    fallback = f"download{suffix}" if suffix.isascii() else "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(
    content: bytes, filename: str, content_type: str = XLSX, *, personal: bool = True
) -> HttpResponse:
    """A file to save, under its (possibly Chinese) name.

    Every download is logged as an export of personal data (``registrar.export_log``) unless
    ``personal=False`` says it holds none (a blank template, a table of counts).
    """
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response.export_name = filename
    response.personal_data = personal
    return response


def scope_name(user) -> str:
    """Whose data an export holds, for its file name: the staff member's college, or 全校 for the school."""
    if not is_college_staff(user):
        return _("全校")
    names = list(College.objects.for_user(user).order_by("code").values_list("name", flat=True)[:4])
    return "、".join(names[:3]) + ("等" if len(names) > 3 else "")


def export_name(what: str, *, user, extension: str = "xlsx") -> str:
    """An export's file name as people file it: what and which year, then whose (2026级新生学籍注册数据-计算机学院.xlsx)."""
    return f"{what}-{scope_name(user)}.{extension}"


def progress_key(user_id: int, token: str) -> str:
    """Where an upload's progress is kept: per user, so nobody reads another's."""
    return f"uploads:progress:{user_id}:{token}"


def errors_key(user_id: int, token: str) -> str:
    return f"uploads:errors:{user_id}:{token}"


class UploadProgress:
    """The server's side of an upload's progress bar: the page polls ``upload-progress``.

    ``percent`` runs over the server's work only (the page maps it onto the
    second half of the bar, after the bytes sent); ``phase`` is what the page shows.
    """

    def __init__(self, request: HttpRequest) -> None:
        token = request.POST.get("token") or secrets.token_urlsafe(12)
        self.key = progress_key(request.user.pk, token)
        self.who = request.user.get_full_name() or request.user.get_username()
        self.page = request.path
        self.started = time.time()
        self.phase = ""

    def show(self, phase: str, percent: int) -> None:
        cache.set(self.key, {"phase": phase, "percent": percent}, 600)
        if phase != self.phase or percent >= 100:  # the school-wide list changes with the phase only
            self.phase = phase
            entry = {"who": self.who, "page": self.page, "phase": phase, "percent": percent}
            _running_update(self.key, None if percent >= 100 else {**entry, "started": self.started})

    def reading(self) -> None:
        self.show(_("读取与校验"), 10)

    def done(self) -> None:
        self.show(_("完成"), 100)

    def service_report(self, done: int, total: int, phase: str) -> None:
        """A service's progress callback (done, total, phase): checking up to 60 %, writing up to 95 %."""
        self.show(phase, 60 + round(35 * done / total) if total else 60)


def _running_update(key: str, entry: dict | None) -> None:
    """Add, update or drop one upload in the school-wide list; entries of a worker that died fade out.

    Read-modify-write on one cache key: two uploads changing phase at the same instant may hide
    each other until their next phase. It is a view of the moment, not a record.
    """
    now = time.time()
    running = {
        k: v
        for k, v in (cache.get(RUNNING_KEY) or {}).items()
        if now - v["started"] < RUNNING_FORGOTTEN_AFTER_SECONDS
    }
    if entry is None:
        running.pop(key, None)
    else:
        running[key] = entry
    cache.set(RUNNING_KEY, running, RUNNING_FORGOTTEN_AFTER_SECONDS)


def uploads_running() -> list[dict]:
    """Uploads being read or written now (who, page, phase, percent), the oldest first."""
    now = time.time()
    running = (cache.get(RUNNING_KEY) or {}).values()
    return sorted(
        (v for v in running if now - v["started"] < RUNNING_FORGOTTEN_AFTER_SECONDS),
        key=lambda v: v["started"],
    )


def remember_errors(request: HttpRequest, content: bytes, file_name: str, errors: Sequence[RowError]) -> str:
    """Keep the uploaded rows with their errors for an hour; the token names the download."""
    token = secrets.token_urlsafe(12)
    sheet = error_sheet(raw_rows(content, file_name), errors)
    cache.set(errors_key(request.user.pk, token), sheet, ERRORS_KEPT_SECONDS)
    return token


def error_context(errors: Sequence[RowError], *, token: str = "", shown: int = 500) -> dict[str, object]:
    """What ``_errors.html`` shows: the first ``shown`` errors, their count, and the sheet's token."""
    return {"shown_errors": list(errors[:shown]), "error_count": len(errors), "error_token": token}


@login_required
def error_file(request: HttpRequest, token: str) -> HttpResponse:
    """The error sheet of an upload this user made (kept one hour)."""
    content = cache.get(errors_key(request.user.pk, token))
    if content is None:
        raise Http404(_("错误清单已过期，请重新上传"))
    return download(content, _("错误清单.xlsx"))


@login_required
def progress(request: HttpRequest, token: str) -> HttpResponse:
    """How far the server is with this user's upload ``token`` (the page's progress bar polls it)."""
    return JsonResponse(cache.get(progress_key(request.user.pk, token)) or {"phase": "", "percent": 0})


def platform_download(
    request: HttpRequest, file: PlatformFile, queryset: QuerySet, name: str, fmt: str
) -> HttpResponse:
    """A platform file as xlsx, or as DBF once the registrar chose what to do with characters GBK lacks.

    Full id numbers for the registrar office only (SEC-2); ``name`` is what and which year (``export_name``).
    """
    full = sees_full_id_numbers(request.user)
    if fmt == "xlsx":
        return download(file.xlsx(queryset, full_id_number=full), export_name(name, user=request.user))
    if fmt != "dbf":
        raise Http404
    rare = request.GET.get("rare", "")
    if rare not in RareCharacters.values:
        problems = file.gbk_problems(queryset)
        if problems:
            context = {
                "problems": problems,
                "title": file.title,
                "key_label": _("学号"),
                "year": request.GET.get("year", ""),
                "xlsx_url": f"{request.path.rsplit('.', 1)[0]}.xlsx",
                "choices": RareCharacters.choices,
            }
            return render(request, "registrar/gbk_problems.html", context)
        rare = RareCharacters.REPLACE
    content = file.dbf(queryset, rare=RareCharacters(rare), full_id_number=full)
    return download(content, export_name(name, user=request.user, extension="dbf"), "application/x-dbf")
