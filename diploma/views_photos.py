"""The student's photo check (DIP-9, JL28(一)): their photo and data, confirm or report what is wrong.

Only the signed-in student, only their own record: anyone else gets a 404. The
photo itself is served by this view from MEDIA_ROOT (never a public URL).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diploma.models.photos import PhotoCapture
from diploma.selectors_photos import my_photo
from diploma.services.photos import PROBLEM_LIMIT, photo_check_confirm, photo_check_dispute
from registrar.errors import REFUSALS
from registrar.models import Student
from registrar.roles import Role, role_of


def _student_only(request: HttpRequest) -> None:
    if role_of(request.user) != Role.STUDENT or not request.user.student_id:
        raise Http404(_("只有学生本人可以查看"))


@login_required
def my_photo_page(request: HttpRequest) -> HttpResponse:
    """毕业生图像校对 (DIP-9): the photo beside the data it will be registered with; confirm or report."""
    _student_only(request)
    try:
        photo = my_photo(request.user)
    except Student.DoesNotExist as exc:
        raise Http404(_("没有与该账号关联的学生")) from exc
    return render(request, "diploma/my_photo.html", {"photo": photo, "problem_limit": PROBLEM_LIMIT})


@login_required
def my_photo_image(request: HttpRequest) -> FileResponse:
    """The student's own photo, once the check is open (JL28(一)); nobody else's, ever."""
    _student_only(request)
    capture = PhotoCapture.objects.for_user(request.user).filter(student_id=request.user.student_id).first()
    return photo_response(capture)


def photo_response(capture: PhotoCapture | None) -> FileResponse:
    """The capture's JPEG from storage, not cached by shared caches; 404 when there is none."""
    if capture is None or not capture.image:
        raise Http404(_("照片尚未导入"))
    try:
        handle = capture.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("照片尚未导入")) from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    _student_only(request)
    try:
        photo_check_confirm(user=request.user)
    except PhotoCapture.DoesNotExist as exc:
        raise Http404(str(exc)) from exc
    except REFUSALS as exc:
        messages.error(request, str(exc))
        return redirect("diploma_photos:me")
    messages.success(request, _("已确认照片和信息无误"))
    return redirect("diploma_photos:me")


@login_required
@require_POST
def report(request: HttpRequest) -> HttpResponse:
    _student_only(request)
    try:
        photo_check_dispute(user=request.user, problem=request.POST.get("problem", ""))
    except PhotoCapture.DoesNotExist as exc:
        raise Http404(str(exc)) from exc
    except REFUSALS as exc:
        messages.error(request, str(exc))
        return redirect("diploma_photos:me")
    messages.success(request, _("已提交，学院将与你联系核实"))
    return redirect("diploma_photos:me")
