"""录取数据 in the API: the scoped reads, the single-record decisions, and what those decisions share.

The record and correction endpoints (``RecordViewSet`` below, ``enrollment.api.corrections``)
refuse students and the auditor's writes before anything else (``StaffRole``), then look
the object up in the user's scope — another college's record is a 404, never a 403 — and
only then check that the registrar decides (``RegistrarDecides``) and read the input. The
services check the roles again; these checks only answer early and alike.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from enrollment import selectors, services
from enrollment.models import AdmissionRecord
from registrar.api_common import RegistrarDecides, StaffRole, document_number_field, required_text
from registrar.api_errors import ERROR_RESPONSES
from registrar.idcard import mask
from registrar.transitions import declared_names, transition_label

# The decisions the record page offers (AdmissionRecordAdmin.PAGE_TRANSITIONS), as declared: registration
# goes through review lists (ENR-2), the 复查 through its own action (ENR-5).
DECISION_TRANSITIONS = declared_names(AdmissionRecord, decision="record")


class TransitionRequestSerializer(serializers.Serializer):
    """录取状态变更 (ENR-2, ENR-3, ENR-4): one declared transition with its reason and 文号."""

    transition = serializers.ChoiceField(
        choices=[(name, transition_label(AdmissionRecord, name)) for name in DECISION_TRANSITIONS],
        error_messages={
            "required": gettext_lazy("请选择录取状态变更"),
            "null": gettext_lazy("请选择录取状态变更"),
            "invalid_choice": gettext_lazy("未知的录取状态变更：{input}"),
        },
    )
    reason = required_text(gettext_lazy("请填写原因"))
    document_number = document_number_field()
    deferral_end = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="保留入学资格截止日期（defer 不填则按学校规定期限；extend_deferral 必填）",
        error_messages={"invalid": gettext_lazy("保留入学资格截止日期格式应为 YYYY-MM-DD")},
    )

    def validate_transition(self, name: str) -> str:
        """Only a transition declared from the record's state, as the record page offers them.

        The service would also reach a target through one intermediate step (e.g. 复查通过入学
        of an imported record by way of a deferral); a single decision is one declared step.
        """
        record: AdmissionRecord = self.context["record"]
        if name not in {t.name for t in record.get_available_state_transitions()}:
            raise serializers.ValidationError(
                _("当前为“%(state)s”，不能%(transition)s")
                % {"state": record.get_state_display(), "transition": transition_label(AdmissionRecord, name)}
            )
        return name

    def validate(self, attrs: dict) -> dict:
        """ENR-4: only a deferral carries an end, and it lies after today (as in review lists)."""
        end: datetime.date | None = attrs.get("deferral_end")
        if end is not None:
            if attrs["transition"] not in services.DATED_TRANSITIONS:
                raise serializers.ValidationError({"deferral_end": _("只有保留入学资格才填写截止日期")})
            if end <= timezone.localdate():
                raise serializers.ValidationError({"deferral_end": _("保留入学资格截止日期应晚于今天")})
        return attrs


class RereviewRequestSerializer(serializers.Serializer):
    """入学资格复查 (ENR-5): passed, or failed — which cancels the 学籍 and needs reason and 文号."""

    result = serializers.ChoiceField(
        choices=[("passed", "复查合格"), ("failed", "复查不合格，取消学籍")],
        error_messages={
            "required": gettext_lazy("请选择复查结论"),
            "null": gettext_lazy("请选择复查结论"),
            "invalid_choice": gettext_lazy("复查结论应为 passed（合格）或 failed（不合格）"),
        },
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="不合格时必填；合格时默认“入学资格复查合格”"
    )
    document_number = document_number_field(help_text="处理决定文号，不合格时必填")

    def validate(self, attrs: dict) -> dict:
        """ENR-5: a failed 复查 names its reason and the 处理决定文号 (the record page requires both)."""
        if attrs["result"] == "failed":
            errors = {}
            if not attrs["reason"].strip():
                errors["reason"] = _("复查不合格须填写原因")
            if not attrs["document_number"].strip():
                errors["document_number"] = _("取消学籍须有处理决定文号")
            if errors:
                raise serializers.ValidationError(errors)
        elif not attrs["reason"].strip():
            attrs["reason"] = "入学资格复查合格"
        return attrs


class ClearConflictRequestSerializer(serializers.Serializer):
    """重名重号核清 (ENR-9): how it was cleared, e.g. the other school's letter."""

    reason = required_text(gettext_lazy("请填写核清情况"), help_text="核清情况（如对方学校复函）")


class RecordSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text="证件号码（脱敏）")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    student_number = serializers.CharField(
        source="student.student_number", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = AdmissionRecord
        fields = [
            "id",
            "year",
            "exam_number",
            "name",
            "gender",
            "birth_date",
            "id_type",
            "id_number",
            "ethnicity",
            "college",
            "major",
            "level",
            "admission_type",
            "entry_date",
            "state",
            "state_display",
            "state_changed_at",
            "deferral_end",
            "rereview_passed_on",
            "identity_conflict",
            "student_number",
        ]

    def get_id_number(self, obj: AdmissionRecord) -> str:
        return mask(obj.id_number)


DECISION_RESPONSES = {200: RecordSerializer, **ERROR_RESPONSES}
DECIDERS = [StaffRole, RegistrarDecides]


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """录取数据 (scoped: college staff see their colleges, a student only themself) and its decisions."""

    serializer_class = RecordSerializer
    filterset_fields = ["year", "state", "college", "major", "identity_conflict"]

    def get_queryset(self):
        return selectors.records_for(self.request.user).order_by("pk")

    def get_object(self) -> AdmissionRecord:
        """Out of scope and unknown alike: 404 (SEC-2)."""
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("录取数据不存在")) from exc

    def _decide(self, request: Request, input_class: type[serializers.Serializer], call) -> Response:
        """Scoped lookup (404), the registrar check (403), the input check (400), then one service call."""
        record = self.get_object()
        data = input_class(data=request.data, context={"record": record})
        data.is_valid(raise_exception=True)
        call(record, data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(request=TransitionRequestSerializer, responses=DECISION_RESPONSES)
    @action(detail=True, methods=["post"], permission_classes=DECIDERS)
    def transition(self, request: Request, pk: str) -> Response:
        """录取状态变更 (ENR-2, ENR-3, ENR-4): 报到入学、复查通过入学、放弃/保留/取消入学资格, by the registrar."""
        return self._decide(
            request,
            TransitionRequestSerializer,
            lambda record, data: services.admission_transition(
                actor=request.user,
                record_id=record.pk,
                transition=data["transition"],
                reason=data["reason"],
                document_number=data["document_number"],
                deferral_end=data["deferral_end"],
            ),
        )

    @extend_schema(request=RereviewRequestSerializer, responses=DECISION_RESPONSES)
    @action(detail=True, methods=["post"], permission_classes=DECIDERS)
    def rereview(self, request: Request, pk: str) -> Response:
        """入学资格复查 (ENR-5): 合格, or 不合格 which cancels the 学籍 (reason and 处理决定文号 required)."""
        return self._decide(
            request,
            RereviewRequestSerializer,
            lambda record, data: services.admission_rereview(
                actor=request.user,
                record_id=record.pk,
                passed=data["result"] == "passed",
                reason=data["reason"],
                document_number=data["document_number"],
            ),
        )

    @extend_schema(request=ClearConflictRequestSerializer, responses=DECISION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="clear-conflict", permission_classes=DECIDERS)
    def clear_conflict(self, request: Request, pk: str) -> Response:
        """重名重号核清 (ENR-9): the flag goes, and the record may be registered."""
        return self._decide(
            request,
            ClearConflictRequestSerializer,
            lambda record, data: services.admission_clear_conflict(
                actor=request.user, record_id=record.pk, reason=data["reason"]
            ),
        )
