"""入学资格审查名单 in the API (ENR-2): create, fill (rows or a sheet), submit, approve, return."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from enrollment import selectors, services
from enrollment.api.imports import row_errors
from enrollment.api.records import MAX_ID
from enrollment.imports import ParsedSheet, parse_review_results
from enrollment.models import ReviewItem
from registrar.api_errors import CONFLICT_RESPONSE, ERROR_RESPONSES
from registrar.batches import batch_actions, may_perform
from registrar.models import Batch, College, Term
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload


class ItemSerializer(serializers.ModelSerializer):
    exam_number = serializers.CharField(source="record.exam_number")
    name = serializers.CharField(source="record.name", read_only=True)

    class Meta:
        model = ReviewItem
        fields = ["id", "exam_number", "name", "outcome", "deferral_end", "reason"]


class BatchSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    actions = serializers.SerializerMethodField(help_text="当前用户可执行的操作")
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Batch
        fields = [
            "id",
            "kind",
            "college",
            "term",
            "title",
            "state",
            "state_display",
            "comment",
            "document_number",
            "submitted_at",
            "decided_at",
            "item_count",
            "actions",
        ]
        read_only_fields = ["kind", "state", "comment", "document_number", "submitted_at", "decided_at"]

    def get_actions(self, obj: Batch) -> list[str]:
        return [name for name, _ in batch_actions(user=self.context["request"].user, batch=obj)]


DecisionRequest = inline_serializer(
    "BatchDecision",
    {
        "comment": serializers.CharField(required=False, allow_blank=True),
        "document_number": serializers.CharField(required=False, allow_blank=True),
    },
)
ItemsRequest = inline_serializer(
    "ReviewItemsUpload",
    {
        "file": serializers.FileField(required=False, help_text="审查结果表 xlsx"),
        "items": ItemSerializer(many=True, required=False),
    },
)
BATCH_DECISION_RESPONSES = {200: BatchSerializer, **ERROR_RESPONSES, **CONFLICT_RESPONSE}


def id_field(message) -> serializers.IntegerField:
    """A required id in the database's range; anything else is a 400 with ``message``."""
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={key: message for key in ("required", "null", "invalid", "min_value", "max_value")},
    )


class BatchCreateSerializer(serializers.Serializer):
    """入学资格审查名单 (ENR-2): the college and term it belongs to."""

    college = id_field(gettext_lazy("请选择院系（编号为整数）"))
    term = id_field(gettext_lazy("请选择学期（编号为整数）"))
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """入学资格审查名单: create, fill, submit, approve, return."""

    serializer_class = BatchSerializer
    filterset_fields = ["state", "college", "term"]

    def get_queryset(self):
        return selectors.review_batches_for(self.request.user).order_by("-pk")

    @extend_schema(
        request=BatchCreateSerializer,
        responses={201: BatchSerializer, **ERROR_RESPONSES},
    )
    def create(self, request: Request) -> Response:
        data = BatchCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        college = College.objects.for_user(request.user).filter(pk=data.validated_data["college"]).first()
        term = Term.objects.filter(pk=data.validated_data["term"]).first()
        if college is None or term is None:
            raise ValidationError(_("院系或学期不存在"))
        batch = services.review_batch_create(
            actor=request.user, college=college, term=term, title=data.validated_data["title"]
        )
        batch = self.get_queryset().get(pk=batch.pk)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def items(self, request: Request, pk: str) -> Response:
        batch = self.get_object()
        return Response(ItemSerializer(batch.review_items.select_related("record"), many=True).data)

    @extend_schema(
        request=ItemsRequest,
        responses={200: ItemSerializer(many=True), **ERROR_RESPONSES, **CONFLICT_RESPONSE},
    )
    @items.mapping.post
    def upload_items(self, request: Request, pk: str) -> Response:
        batch = self.get_object()
        upload = request.FILES.get("file")
        if upload is not None:
            # Who may change the list is checked before the file is read (SEC-1).
            if not may_perform(request.user, batch, "submit"):
                raise PermissionDenied(_("只能修改本学院的名单"))
            try:
                sheet = parse_review_results(read_upload(upload), upload.name)
            except FileFormatError as exc:
                sheet = ParsedSheet.refused(str(exc))
            errors = services.review_items_from_sheet(actor=request.user, batch_id=batch.pk, sheet=sheet)
        else:
            serializer = ItemSerializer(data=request.data.get("items", []), many=True)
            serializer.is_valid(raise_exception=True)
            items = [
                services.ItemInput(
                    exam_number=i["record"]["exam_number"],
                    outcome=i["outcome"],
                    deferral_end=i.get("deferral_end"),
                    reason=i.get("reason", ""),
                    row=n,
                )
                for n, i in enumerate(serializer.validated_data, start=1)
            ]
            errors = services.review_items_save(
                actor=request.user, batch_id=batch.pk, items=items, replace=False
            )
        if errors:
            return Response(
                {"detail": _("有错误，未保存"), "errors": row_errors(errors)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(ItemSerializer(batch.review_items.select_related("record"), many=True).data)

    def _decide(self, request: Request, pk: str, call) -> Response:
        batch = self.get_object()
        call(batch)
        return Response(self.get_serializer(self.get_queryset().get(pk=batch.pk)).data)

    @extend_schema(request=None, responses=BATCH_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._decide(
            request, pk, lambda b: services.review_batch_submit(actor=request.user, batch_id=b.pk)
        )

    @extend_schema(request=DecisionRequest, responses=BATCH_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(
            request,
            pk,
            lambda b: services.review_batch_approve(
                actor=request.user,
                batch_id=b.pk,
                comment=str(request.data.get("comment", "")),
                document_number=str(request.data.get("document_number", ""))[:100],
            ),
        )

    @extend_schema(request=DecisionRequest, responses=BATCH_DECISION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        return self._decide(
            request,
            pk,
            lambda b: services.review_batch_return(
                actor=request.user, batch_id=b.pk, comment=str(request.data.get("comment", ""))
            ),
        )
