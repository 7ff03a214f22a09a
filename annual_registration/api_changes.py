"""Status changes in the API (学籍异动, ANN-3 to ANN-6): the cases and their moves, the lists, the kinds.

The same services as the staff pages. Students and anonymous callers are
refused (403); another college's case is a 404 (SEC-2); only the registrar
approves, returns, reports and extends (403 after the scoped lookup); a
domain refusal is a 400 with its Chinese reason (``registrar.api_errors``).
"""

from __future__ import annotations

import copy
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from annual_registration.models import ChangeKindSetting, StatusChange
from annual_registration.selectors_changes import changes_for, shown_values
from annual_registration.services.change_approval import status_change_approve
from annual_registration.services.change_lists import ListedKind
from annual_registration.services.change_rules import ChangeInput, resulting_status
from annual_registration.services.changes import (
    status_change_extend_period,
    status_change_file,
    status_change_report_many,
    status_change_return,
    status_change_submit,
    status_change_update,
    status_change_withdraw,
)
from annual_registration.services.transfer_in import incoming_from, transfer_in_file
from registrar import codes
from registrar.api_batches import BatchViewSet, documented
from registrar.api_common import RegistrarDecides, StaffRole, document_number_field, id_field, required_text
from registrar.api_errors import ERROR_RESPONSES
from registrar.batch_kinds import ItemInput
from registrar.models import BatchKind
from registrar.proofs import read_decision_document
from registrar.services import reference_save
from registrar.transitions import user_actions
from registrar.uploads import download

# ---------------------------------------------------------------- the cases


class ShownValueSerializer(serializers.Serializer):
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class StatusChangeSerializer(serializers.ModelSerializer):
    student_number = serializers.SerializerMethodField(help_text="学号（转入学生批准前为本校为其编排的学号）")
    name = serializers.SerializerMethodField(help_text="姓名")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    values = serializers.SerializerMethodField(help_text="异动前后（名称）")
    has_document = serializers.SerializerMethodField(help_text="是否已上传处理决定文件")
    actions = serializers.SerializerMethodField(help_text="本人现在可以办理的操作")

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "student",
            "student_number",
            "name",
            "college",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "reason",
            "period_start",
            "period_end",
            "other_school",
            "values_before",
            "values_after",
            "values",
            "batch",
            "comment",
            "decision_date",
            "document_number",
            "document_date",
            "has_document",
            "period_lapsed_on",
            "period_closed_on",
            "created_at",
            "submitted_at",
            "decided_at",
            "reported_at",
            "actions",
        ]

    def get_student_number(self, obj: StatusChange) -> str:
        if obj.student is None:  # a transfer-in before approval: no student here yet
            return obj.incoming.get("student_number", "")
        return obj.student.student_number or ""

    def get_name(self, obj: StatusChange) -> str:
        return obj.student.name if obj.student is not None else obj.incoming.get("name", "")

    def get_values(self, obj: StatusChange) -> list[dict[str, str]]:
        return ShownValueSerializer(shown_values([obj])[obj.pk], many=True).data

    def get_has_document(self, obj: StatusChange) -> bool:
        return bool(obj.document)

    def get_actions(self, obj: StatusChange) -> list[str]:
        return [name for name, _label in user_actions(self.context["request"].user, obj, case=True)]


class PlacementSerializer(serializers.Serializer):
    """The placement a change asks for: only the fields its kind changes (异动类别设置)."""

    college = serializers.IntegerField(required=False, min_value=1, help_text="异动后院系编号")
    major = serializers.IntegerField(required=False, min_value=1, help_text="异动后专业编号")
    grade = serializers.IntegerField(required=False, min_value=1950, max_value=2100, help_text="异动后年级")
    expected_graduation_date = serializers.DateField(required=False, help_text="异动后预计毕业日期")
    program_years = serializers.DecimalField(
        required=False, max_digits=3, decimal_places=1, min_value=1, max_value=10, help_text="异动后学制"
    )


class ChangeInputSerializer(serializers.Serializer):
    """What a change asks: kind, reason, period (休学 from–to), the other school of a transfer, placement."""

    kind = serializers.ChoiceField(
        choices=StatusChange._meta.get_field("kind").choices, help_text="异动类别代码"
    )
    reason = required_text(gettext_lazy("请填写异动原因"), max_length=500)
    period_start = serializers.DateField(required=False, allow_null=True, default=None)
    period_end = serializers.DateField(required=False, allow_null=True, default=None)
    other_school = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    values = PlacementSerializer(required=False, default=dict)

    def change_input(self) -> ChangeInput:
        data = self.validated_data
        return ChangeInput(
            kind=data["kind"],
            reason=data["reason"],
            values=dict(data["values"]),
            period_start=data["period_start"],
            period_end=data["period_end"],
            other_school=data["other_school"],
        )


class ChangeFileSerializer(ChangeInputSerializer):
    student = id_field(gettext_lazy("请选择学生"))


class TransferInSerializer(serializers.Serializer):
    """转学（转入） (ANN-4): the person coming in, the school they leave, their 学号 and major here."""

    other_school = required_text(gettext_lazy("转学（转入）须填写原学校"), max_length=100)
    reason = required_text(gettext_lazy("请填写异动原因"), max_length=500)
    name = serializers.CharField(max_length=50, help_text="姓名")
    gender = serializers.ChoiceField(choices=codes.Gender.choices, help_text="性别代码")
    ethnicity = serializers.ChoiceField(choices=codes.Ethnicity.choices, help_text="民族代码")
    birth_date = serializers.DateField(help_text="出生日期")
    id_type = serializers.ChoiceField(
        choices=codes.IdType.choices, default=codes.IdType.RESIDENT_ID, help_text="证件类型代码"
    )
    id_number = serializers.CharField(max_length=30, help_text="证件号码")
    exam_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    student_number = serializers.CharField(max_length=20, help_text="本校学号")
    major = id_field(gettext_lazy("请选择转入专业"))
    entry_date = serializers.DateField(help_text="入学日期")
    grade = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1950, max_value=2100
    )
    expected_graduation_date = serializers.DateField(required=False, allow_null=True, default=None)
    program_years = serializers.DecimalField(
        required=False,
        allow_null=True,
        default=None,
        max_digits=3,
        decimal_places=1,
        min_value=1,
        max_value=10,
    )


class ReturnSerializer(serializers.Serializer):
    comment = required_text(gettext_lazy("退回时请填写意见"), max_length=500)


class ApproveSerializer(serializers.Serializer):
    """学籍处理 (ANN-5, ANN-6): multipart, with the decision document (PDF, JPEG or PNG)."""

    decision_date = serializers.DateField(help_text="学籍处理日期")
    document_number = document_number_field(required=True, help_text="文号")
    document_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="发文日期")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    document = serializers.FileField(help_text="处理决定文件：PDF、JPG 或 PNG")


class ExtendSerializer(serializers.Serializer):
    period_end = serializers.DateField(help_text="新的截止日期")
    reason = required_text(gettext_lazy("请填写延长原因"), max_length=500)
    document_number = document_number_field(help_text="文号")


CHANGE_RESPONSES = {200: StatusChangeSerializer, **ERROR_RESPONSES}


class StatusChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """学籍异动 (ANN-4, ANN-5): filed by the college, decided by the registrar, marked on the platform."""

    serializer_class = StatusChangeSerializer
    permission_classes = [StaffRole]
    filterset_fields = ["state", "kind", "college", "student"]
    parser_classes = [parsers.JSONParser, parsers.FormParser, parsers.MultiPartParser]

    def get_queryset(self):
        return changes_for(self.request.user).order_by("-created_at", "-pk")

    def get_object(self) -> StatusChange:
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("学籍异动不存在")) from exc

    def _respond(self, change: StatusChange, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data, status=code)

    def _input(
        self, request: Request, serializer_class: type[serializers.Serializer]
    ) -> serializers.Serializer:
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return data

    @extend_schema(request=ChangeFileSerializer, responses={201: StatusChangeSerializer, **ERROR_RESPONSES})
    def create(self, request: Request) -> Response:
        """提出学籍异动: a draft for a student of one's colleges (another college's student is a 404)."""
        data = self._input(request, ChangeFileSerializer)
        change = status_change_file(
            actor=request.user, student_id=data.validated_data["student"], given=data.change_input()
        )
        return self._respond(change, status.HTTP_201_CREATED)

    @extend_schema(request=TransferInSerializer, responses={201: StatusChangeSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="transfer-in")
    def transfer_in(self, request: Request) -> Response:
        """提出转学（转入）: a draft naming someone who holds no 学籍 here yet; approval creates the student."""
        person, given = incoming_from(self._input(request, TransferInSerializer).validated_data)
        change = transfer_in_file(actor=request.user, person=person, given=given)
        return self._respond(change, status.HTTP_201_CREATED)

    @extend_schema(request=ChangeInputSerializer, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str) -> Response:
        """修改 a draft or returned change (its kind stays)."""
        change = self.get_object()
        data = self._input(request, ChangeInputSerializer)
        status_change_update(actor=request.user, change_id=change.pk, given=data.change_input())
        return self._respond(change)

    @extend_schema(request=None, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """提交教务处: draft (or returned) → submitted."""
        change = self.get_object()
        status_change_submit(actor=request.user, change_id=change.pk)
        return self._respond(change)

    @extend_schema(request=None, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """撤回 a draft or returned change."""
        change = self.get_object()
        status_change_withdraw(actor=request.user, change_id=change.pk)
        return self._respond(change)

    @extend_schema(request=ApproveSerializer, responses=CHANGE_RESPONSES)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[StaffRole, RegistrarDecides],
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
    )
    def approve(self, request: Request, pk: str) -> Response:
        """批准 (学籍处理) with the decision date, 文号 and the decision document: the student moves."""
        change = self.get_object()
        data = self._input(request, ApproveSerializer).validated_data
        status_change_approve(
            actor=request.user,
            change_id=change.pk,
            decision_date=data["decision_date"],
            document_number=data["document_number"],
            document=read_decision_document(data["document"]),
            document_date=data["document_date"],
            comment=data["comment"],
        )
        return self._respond(change)

    @extend_schema(request=ReturnSerializer, responses=CHANGE_RESPONSES)
    @action(
        detail=True, methods=["post"], url_path="return", permission_classes=[StaffRole, RegistrarDecides]
    )
    def return_(self, request: Request, pk: str) -> Response:
        """退回学院, with the reason."""
        change = self.get_object()
        data = self._input(request, ReturnSerializer).validated_data
        status_change_return(actor=request.user, change_id=change.pk, comment=data["comment"])
        return self._respond(change)

    @extend_schema(request=None, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def report(self, request: Request, pk: str) -> Response:
        """标注完成: marked on the national platform (ANN-5: 15 working days; ANN-6 SH: 30)."""
        change = self.get_object()
        status_change_report_many(actor=request.user, change_ids=[change.pk])
        return self._respond(change)

    @extend_schema(request=ExtendSerializer, responses=CHANGE_RESPONSES)
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def extend(self, request: Request, pk: str) -> Response:
        """延长期限 of a 休学 or 保留学籍 (the registrar settles a lapsed period)."""
        change = self.get_object()
        data = self._input(request, ExtendSerializer).validated_data
        status_change_extend_period(
            actor=request.user,
            change_id=change.pk,
            period_end=data["period_end"],
            reason=data["reason"],
            document_number=data["document_number"],
        )
        return self._respond(change)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="处理决定文件"
            ),
            **ERROR_RESPONSES,
        }
    )
    @action(detail=True, methods=["get"])
    def document(self, request: Request, pk: str) -> HttpResponse:
        """处理决定文件 (download), for those who see the case."""
        change = self.get_object()
        if not change.document:
            raise NotFound(_("尚未上传处理决定文件"))
        with change.document.open("rb") as handle:
            content = handle.read()
        name = PurePosixPath(change.document.name).name
        return download(content, name, "application/octet-stream")


# ---------------------------------------------------------------- the kinds


class KindSettingSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    resulting_status = serializers.SerializerMethodField(help_text="批准后的学籍状态（空表示不变）")

    class Meta:
        model = ChangeKindSetting
        fields = [
            "id",
            "kind",
            "kind_display",
            "transition",
            "resulting_status",
            "in_school",
            "changes_college",
            "changes_major",
            "changes_grade",
            "changes_expected_graduation_date",
            "changes_program_years",
            "needs_period",
            "needs_other_school",
            "hidden_under_credit_system",
            "enabled",
        ]
        read_only_fields = ["kind"]

    def get_resulting_status(self, obj: ChangeKindSetting) -> str:
        return resulting_status(obj) or ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The model's own checks (a declared transition; 学籍注销 kinds deregister, ANN-5)."""
        candidate = copy.copy(self.instance)
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class KindSettingViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """异动类别设置 (ANN-4, ANN-5): staff read; the registrar changes what a kind does (PATCH)."""

    serializer_class = KindSettingSerializer
    permission_classes = [StaffRole]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return ChangeKindSetting.objects.for_user(self.request.user).order_by("kind")

    def get_permissions(self):
        if self.action == "partial_update":
            return [StaffRole(), RegistrarDecides()]
        return super().get_permissions()

    def perform_update(self, serializer: KindSettingSerializer) -> None:
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        reference_save(
            actor=self.request.user, instance=serializer.instance, changed=list(serializer.validated_data)
        )


# ---------------------------------------------------------------- the lists


class ChangeItemSerializer(serializers.ModelSerializer):
    """One student of a 学籍异动名单: 学号, 异动类别, the new placement, the reason."""

    student_number = serializers.CharField(source="student.student_number")
    name = serializers.CharField(source="student.name", read_only=True)
    outcome = serializers.ChoiceField(source="kind", choices=ListedKind.choices, help_text="异动类别代码")
    major_code = serializers.CharField(
        required=False, write_only=True, max_length=20, help_text="转入专业代码"
    )
    grade = serializers.IntegerField(required=False, write_only=True, min_value=1950, max_value=2100)
    expected_graduation_date = serializers.DateField(required=False, write_only=True)
    program_years = serializers.DecimalField(
        required=False, write_only=True, max_digits=3, decimal_places=1, min_value=1, max_value=10
    )

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "student_number",
            "name",
            "outcome",
            "reason",
            "values_before",
            "values_after",
            "major_code",
            "grade",
            "expected_graduation_date",
            "program_years",
        ]
        read_only_fields = ["values_before", "values_after"]


@documented
class ChangeListViewSet(BatchViewSet):
    """学籍异动名单 (e.g. a class's 转专业): create, fill, submit, approve with the 文号, return (ANN-4)."""

    kind = BatchKind.STATUS_CHANGE
    item_serializer = ChangeItemSerializer

    def item_input(self, data: dict, row: int) -> ItemInput:
        extra = {
            key: data[key]
            for key in ("major_code", "grade", "expected_graduation_date", "program_years")
            if key in data
        }
        if "program_years" in extra:
            extra["program_years"] = str(extra["program_years"])
        return ItemInput(
            key=data["student"]["student_number"],
            outcome=data["kind"],
            reason=data.get("reason", ""),
            row=row,
            extra=extra,
        )
