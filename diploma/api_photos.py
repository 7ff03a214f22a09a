"""REST API of photos and the pre-check (DIP-9, DIP-10): the same scopes and services as the pages.

- ``/api/diploma/photos/``: capture records with the students' check conclusions, staff of
  their colleges only (another college's is a 404), students none;
- ``/api/diploma/precheck/?year=``: the pre-check report, per college and per graduate, as the
  reader may see it; ``POST …/precheck/run/`` (registrar) passes the graduates with no
  problem to ``certificates_precheck``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from diploma.api import Scoped
from diploma.models import PhotoCapture
from diploma.precheck import PrecheckReport, precheck_report
from diploma.services.certificates import certificates_precheck
from diploma.services.photos import photo_check_confirm, photo_check_dispute
from registrar.api_common import StaffRole
from registrar.api_errors import ERROR_RESPONSES
from registrar.roles import is_registrar


class PhotoCaptureSerializer(serializers.ModelSerializer):
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    name = serializers.CharField(source="student.name", read_only=True)
    college = serializers.IntegerField(source="student.college_id", read_only=True)
    has_photo = serializers.SerializerMethodField()
    check_state_display = serializers.CharField(source="get_check_state_display", read_only=True)

    class Meta:
        model = PhotoCapture
        fields = [
            "id",
            "student",
            "student_number",
            "name",
            "college",
            "captured_on",
            "file_name",
            "has_photo",
            "width",
            "height",
            "check_state",
            "check_state_display",
            "checked_at",
            "problem",
        ]

    def get_has_photo(self, capture: PhotoCapture) -> bool:
        return bool(capture.image)


class DisputeRequest(serializers.Serializer):
    problem = serializers.CharField(
        allow_blank=True,
        trim_whitespace=True,
        error_messages={"required": gettext_lazy("请说明照片或信息哪里有误（problem）")},
    )


class PhotoCaptureViewSet(Scoped):
    """图像采集与校对 (DIP-9): each capture and the student's conclusion; staff see their colleges'.

    The signed-in student confirms or disputes their own photo and data (``confirm``,
    ``dispute``), from the 40th day after capture, as on their page (JL28(一)).
    """

    serializer_class = PhotoCaptureSerializer
    filterset_fields = ["check_state", "captured_on"]
    not_found = gettext_lazy("图像采集记录不存在")

    def get_queryset(self):
        return super().get_queryset().select_related("student").order_by("pk")

    @extend_schema(request=None, responses={200: PhotoCaptureSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], permission_classes=[IsAuthenticated])
    def confirm(self, request: Request) -> Response:
        """图像校对：确认无误 (the student's own capture)."""
        return self._own(lambda: photo_check_confirm(user=request.user))

    @extend_schema(request=DisputeRequest, responses={200: PhotoCaptureSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], permission_classes=[IsAuthenticated])
    def dispute(self, request: Request) -> Response:
        """图像校对：报告有误, with what is wrong (the student's own capture; the college follows it up)."""
        data = DisputeRequest(data=request.data)
        data.is_valid(raise_exception=True)
        return self._own(
            lambda: photo_check_dispute(user=request.user, problem=data.validated_data["problem"])
        )

    def _own(self, check: Callable[[], PhotoCapture]) -> Response:
        """The check of the signed-in student's own capture; anyone without one gets a 404 that says so."""
        try:
            capture = check()
        except PhotoCapture.DoesNotExist as exc:
            raise NotFound(str(exc)) from exc
        return Response(PhotoCaptureSerializer(capture, context=self.get_serializer_context()).data)


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": gettext_lazy("请指定毕业年份（year）"),
            "invalid": gettext_lazy("毕业年份应为整数，如2026"),
            "min_value": gettext_lazy("毕业年份应在2000至2100之间"),
            "max_value": gettext_lazy("毕业年份应在2000至2100之间"),
        },
    )


PROBLEM_FIELDS = {
    "kind": serializers.CharField(),
    "label": serializers.CharField(),
    "detail": serializers.CharField(),
    "differences": serializers.ListField(child=serializers.ListField(child=serializers.CharField())),
}
Report = inline_serializer(
    "PrecheckReport",
    {
        "year": serializers.IntegerField(),
        "colleges": inline_serializer(
            "PrecheckCollege",
            {
                "college": serializers.CharField(),
                "graduates": serializers.IntegerField(),
                "passed": serializers.IntegerField(),
                "problems": serializers.DictField(child=serializers.IntegerField()),
            },
            many=True,
        ),
        "graduates": inline_serializer(
            "PrecheckGraduate",
            {
                "graduate": serializers.IntegerField(),
                "student_number": serializers.CharField(),
                "name": serializers.CharField(),
                "college": serializers.CharField(),
                "passed": serializers.BooleanField(),
                "problems": inline_serializer("PrecheckProblem", PROBLEM_FIELDS, many=True),
            },
            many=True,
        ),
    },
)
RunResponse = inline_serializer(
    "PrecheckRun",
    {
        "passed": serializers.IntegerField(),
        "prechecked": serializers.IntegerField(),
        "failed": serializers.IntegerField(),
    },
)
YEAR = OpenApiParameter("year", int, required=True, description="毕业年份，如2026")


def _as_data(report: PrecheckReport) -> dict:
    return {
        "year": report.year,
        "colleges": [
            {"college": s.college, "graduates": s.graduates, "passed": s.passed, "problems": dict(s.kinds)}
            for s in report.colleges
        ],
        "graduates": [
            {
                "graduate": c.graduate_id,
                "student_number": c.student_number,
                "name": c.name,
                "college": c.college,
                "passed": c.passed,
                "problems": [
                    {
                        "kind": p.kind,
                        "label": p.label,
                        "detail": p.detail,
                        "differences": [list(d) for d in p.differences],
                    }
                    for p in c.problems
                ],
            }
            for c in report.checks
        ],
    }


class PrecheckViewSet(viewsets.ViewSet):
    """学历注册预审 (DIP-10): every problem of every expected graduate of a year, scoped to the reader."""

    permission_classes = [StaffRole]

    def _year(self, request: Request, data) -> int:
        query = YearQuery(data=data)
        query.is_valid(raise_exception=True)
        return query.validated_data["year"]

    @extend_schema(parameters=[YEAR], responses={200: Report, **ERROR_RESPONSES})
    def list(self, request: Request) -> Response:
        """The report of ``year``: per college, and each graduate with every problem found."""
        return Response(_as_data(precheck_report(request.user, self._year(request, request.query_params))))

    @extend_schema(request=YearQuery, responses={200: RunResponse, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def run(self, request: Request) -> Response:
        """运行预审 (registrar): the graduates with no problem get their certificates pre-checked."""
        if not is_registrar(request.user):
            raise PermissionDenied(gettext_lazy("只有教务处可以运行预审"))
        report = precheck_report(request.user, self._year(request, request.data))
        moved = certificates_precheck(request.user, report.passed_ids)
        return Response(
            {"passed": len(report.passed_ids), "prechecked": moved, "failed": len(report.failing)}
        )
