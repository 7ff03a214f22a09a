"""REST API of 学期报到注册 (ANN-13): the term's check-ins, opening a term, 已报到 for many, 请假 for one.

Same permissions as the pages: staff read their colleges' rows (another college's is a
404), the registrar opens a term, college staff and the registrar record; students and
the auditor write nothing. Refusals go through ``registrar.api_errors``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annual_registration.api_records import RecordSerializer, ScopedRecords
from annual_registration.models import TermCheckIn
from annual_registration.services.check_ins import check_in_leave, check_ins_record, term_check_in_open
from registrar.api_common import StaffRole, id_field, required_text
from registrar.api_errors import ERROR_RESPONSES
from registrar.models import Term
from registrar.roles import is_registrar


class TermCheckInSerializer(RecordSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = TermCheckIn
        fields = [
            "id",
            "student",
            "student_number",
            "student_name",
            "term",
            "college",
            "state",
            "state_display",
            "checked_in_on",
            "leave_reason",
            "leave_until",
        ]


class OpenSerializer(serializers.Serializer):
    term = id_field(gettext_lazy("请填写学期编号"))


class RecordManySerializer(serializers.Serializer):
    """已报到 for many students of one term (ANN-13)."""

    term = id_field(gettext_lazy("请填写学期编号"))
    students = serializers.ListField(
        child=id_field(gettext_lazy("学生编号应为正整数")),
        min_length=1,
        max_length=20000,
        error_messages={"min_length": gettext_lazy("请选择学生"), "empty": gettext_lazy("请选择学生")},
    )
    checked_in_on = serializers.DateField(required=False, allow_null=True, default=None)


class LeaveSerializer(serializers.Serializer):
    """请假 (ANN-13): the reason and the last day of leave are required."""

    leave_reason = required_text(gettext_lazy("请填写请假事由"), max_length=200)
    leave_until = serializers.DateField(
        error_messages={
            "required": gettext_lazy("请填写请假截止日期"),
            "null": gettext_lazy("请填写请假截止日期"),
        }
    )


class TermCheckInViewSet(ScopedRecords):
    """学期报到注册 (ANN-13)."""

    serializer_class = TermCheckInSerializer
    filterset_fields = ["student", "term", "state", "college"]
    not_found = gettext_lazy("报到记录不存在")

    def get_queryset(self):
        return super().get_queryset().select_related("term")

    @extend_schema(
        request=OpenSerializer,
        responses={
            201: inline_serializer("CheckInOpened", {"added": serializers.IntegerField()}),
            **ERROR_RESPONSES,
        },
    )
    @action(detail=False, methods=["post"], url_path="open")
    def open_term(self, request: Request) -> Response:
        """开启学期报到注册 (ANN-13): the registrar's; idempotent, answers how many students were added."""
        if not is_registrar(request.user):
            self.permission_denied(request, message=str(gettext_lazy("只有教务处可以开启学期报到注册")))
        data = OpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = Term.objects.filter(pk=data.validated_data["term"]).first()
        if term is None:
            raise ValidationError({"term": [str(gettext_lazy("没有这个学期"))]})
        added = term_check_in_open(actor=request.user, term=term)
        return Response({"added": added}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RecordManySerializer,
        responses={
            200: inline_serializer("CheckInsRecorded", {"recorded": serializers.IntegerField()}),
            **ERROR_RESPONSES,
        },
    )
    @action(detail=False, methods=["post"], url_path="record", permission_classes=[StaffRole])
    def record(self, request: Request) -> Response:
        """已报到 (ANN-13) for many students of one term at once; all or nothing."""
        data = RecordManySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        recorded = check_ins_record(
            actor=request.user,
            term_id=values["term"],
            student_ids=values["students"],
            on=values["checked_in_on"],
        )
        return Response({"recorded": recorded})

    @extend_schema(request=LeaveSerializer, responses={200: TermCheckInSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], permission_classes=[StaffRole])
    def leave(self, request: Request, pk: str) -> Response:
        """请假 (ANN-13): 待报到 → 请假, with the reason and until-date."""
        row = self.get_object()
        data = LeaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check_in_leave(
            actor=request.user,
            term_id=row.term_id,
            student_id=row.student_id,
            reason=data.validated_data["leave_reason"],
            until=data.validated_data["leave_until"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data)
