"""REST API of 录取数据更正申请 (ENR-8): scoped reads, the draft, and its way through the province.

draft → sent (报送省招生部门) → answered (登记答复) → applied (按答复更正). College staff and
the registrar draft; only the registrar sends, records the answer and applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from enrollment import services
from enrollment.models import CorrectionRequest
from enrollment.services.corrections import CORRECTABLE, masked_values
from registrar.api_common import MAX_ID, RegistrarDecides, StaffRole, document_number_field, required_text
from registrar.api_errors import ERROR_RESPONSES


class CorrectionSerializer(serializers.ModelSerializer):
    exam_number = serializers.CharField(source="record.exam_number", read_only=True)
    name = serializers.CharField(source="record.name", read_only=True)
    requested = serializers.SerializerMethodField(help_text="申请更正为（证件号码脱敏）")
    answer = serializers.SerializerMethodField(help_text="省招生部门答复的数据（证件号码脱敏；空表示不同意）")
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "record",
            "exam_number",
            "name",
            "requested",
            "reason",
            "state",
            "state_display",
            "answer",
            "answer_note",
            "document_number",
            "created_by",
            "created_at",
            "sent_at",
            "answered_at",
            "applied_at",
        ]

    def get_requested(self, obj: CorrectionRequest) -> dict[str, str]:
        return masked_values(obj.requested)

    def get_answer(self, obj: CorrectionRequest) -> dict[str, str]:
        return masked_values(obj.answer)


def correctable_field(key: str, max_length: int) -> serializers.CharField:
    """One identity field a correction may ask for (ENR-8); the service checks the value itself."""
    label = CORRECTABLE[key]
    message = format_lazy(gettext_lazy("{field}不能为空"), field=label)
    return serializers.CharField(
        required=False,
        max_length=max_length,
        help_text=label,
        error_messages={
            "blank": message,
            "null": message,
            "invalid": format_lazy(gettext_lazy("{field}格式有误"), field=label),
            "max_length": format_lazy(
                gettext_lazy("{field}不能超过{max_length}个字符"), field=label, max_length=max_length
            ),
        },
    )


class CorrectionValuesSerializer(serializers.Serializer):
    """The values believed right, one or more of the correctable identity fields (ENR-8)."""

    name = correctable_field("name", 50)
    gender = correctable_field("gender", 20)
    birth_date = correctable_field("birth_date", 20)
    ethnicity = correctable_field("ethnicity", 20)
    id_type = correctable_field("id_type", 20)
    id_number = correctable_field("id_number", 30)
    political_status = correctable_field("political_status", 20)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    _("不能更正的字段：%(fields)s") % {"fields": "、".join(unknown)}
                )
        values = super().to_internal_value(data)
        if not values:
            raise serializers.ValidationError(_("请至少填写一项要更正的数据"))
        return values


class CorrectionCreateSerializer(serializers.Serializer):
    """录取数据更正申请 (ENR-8): which record, what it should say, and why."""

    record = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="录取数据编号",
        error_messages={
            "required": gettext_lazy("请选择录取数据"),
            "null": gettext_lazy("请选择录取数据"),
            "invalid": gettext_lazy("录取数据编号应为整数"),
            "min_value": gettext_lazy("录取数据编号应为整数"),
            "max_value": gettext_lazy("录取数据编号应为整数"),
        },
    )
    requested = CorrectionValuesSerializer(
        error_messages={
            "required": gettext_lazy("请至少填写一项要更正的数据"),
            "null": gettext_lazy("请至少填写一项要更正的数据"),
        }
    )
    reason = required_text(gettext_lazy("请填写原因"))


class CorrectionSendSerializer(serializers.Serializer):
    """报送省招生部门 (ENR-8)."""

    document_number = document_number_field(help_text="报送文号")


class CorrectionAnswerSerializer(serializers.Serializer):
    """省招生部门的答复 (ENR-8): agreed (the requested values) or refused (none), as on the record page."""

    decision = serializers.ChoiceField(
        choices=[("agreed", "同意更正"), ("refused", "不同意")],
        error_messages={
            "required": gettext_lazy("请选择答复结论"),
            "null": gettext_lazy("请选择答复结论"),
            "invalid_choice": gettext_lazy("答复结论应为 agreed（同意更正）或 refused（不同意）"),
        },
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="答复说明")
    document_number = document_number_field(help_text="答复文号")


class IdFilter(filters.NumberFilter):
    """An id in the database's range; a bad one is a 400 naming the parameter."""

    field_class = forms.IntegerField


class CorrectionFilter(filters.FilterSet):
    # By id, not by a choice of every record: an unknown and an out-of-scope record both list nothing.
    record = IdFilter(field_name="record_id", min_value=1, max_value=MAX_ID)

    class Meta:
        model = CorrectionRequest
        fields = ["state", "record"]


CORRECTION_RESPONSES = {200: CorrectionSerializer, **ERROR_RESPONSES}


class CorrectionViewSet(viewsets.ReadOnlyModelViewSet):
    """录取数据更正申请 (ENR-8), scoped like the records; students have no access."""

    serializer_class = CorrectionSerializer
    permission_classes = [StaffRole]
    filterset_class = CorrectionFilter

    def get_queryset(self):
        return (
            CorrectionRequest.objects.for_user(self.request.user)
            .select_related("record")
            .order_by("-created_at", "-pk")
        )

    def get_object(self) -> CorrectionRequest:
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("更正申请不存在")) from exc

    def _respond(self, correction: CorrectionRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=correction.pk)).data, status=code)

    @extend_schema(
        request=CorrectionCreateSerializer,
        responses={201: CorrectionSerializer, **ERROR_RESPONSES},
    )
    def create(self, request: Request) -> Response:
        """录取数据更正申请 (ENR-8): drafted by the college or the registrar; another college's record is 404."""
        data = CorrectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = services.correction_create(
            actor=request.user,
            record_id=data.validated_data["record"],
            requested=data.validated_data["requested"],
            reason=data.validated_data["reason"],
        )
        return self._respond(correction, status.HTTP_201_CREATED)

    def _move(self, request: Request, input_class: type[serializers.Serializer] | None, call) -> Response:
        """Scoped lookup (404), the registrar check (403), the input check (400), then one service call."""
        correction = self.get_object()
        values: dict[str, Any] = {}
        if input_class is not None:
            data = input_class(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
        call(correction, values)
        return self._respond(correction)

    @extend_schema(request=CorrectionSendSerializer, responses=CORRECTION_RESPONSES)
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def send(self, request: Request, pk: str) -> Response:
        """报送省招生部门 (ENR-8): draft → sent."""
        return self._move(
            request,
            CorrectionSendSerializer,
            lambda correction, data: services.correction_send(
                actor=request.user, request_id=correction.pk, document_number=data["document_number"]
            ),
        )

    @extend_schema(request=CorrectionAnswerSerializer, responses=CORRECTION_RESPONSES)
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def answer(self, request: Request, pk: str) -> Response:
        """登记省招生部门的答复 (ENR-8): sent → answered, with the requested values or none."""
        return self._move(
            request,
            CorrectionAnswerSerializer,
            lambda correction, data: services.correction_answer(
                actor=request.user,
                request_id=correction.pk,
                answer=correction.requested if data["decision"] == "agreed" else {},
                note=data["note"],
                document_number=data["document_number"],
            ),
        )

    @extend_schema(request=None, responses=CORRECTION_RESPONSES)
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def apply(self, request: Request, pk: str) -> Response:
        """按答复更正 (ENR-8): answered → applied; the record's (and student's) identity fields change.

        An answered id number that another record of the year or another active
        学籍 holds is refused by the service (400), and nothing is written.
        """
        return self._move(
            request,
            None,
            lambda correction, data: services.correction_apply(actor=request.user, request_id=correction.pk),
        )
