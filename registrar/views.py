"""Pages outside the staff admin: the landing redirect and the student's own status page."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from registrar.roles import STAFF_ROLES, role_of
from registrar.selectors import student_profile


def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their workbench, students to their own page, others sign in."""
    role = role_of(request.user)
    if role in STAFF_ROLES:
        return redirect("admin:index")
    if role is not None:
        return redirect("student-me")
    return redirect("login")


@login_required
def student_me(request: HttpRequest) -> HttpResponse:
    """学生本人学籍信息 (QRY-1): only the signed-in student's own record."""
    profile = student_profile(request.user)
    return render(request, "registrar/me.html", {"profile": profile})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
