"""Batches in the API, for every kind: create, list items, fill them (rows or a sheet), submit, approve, return.

An app subclasses ``BatchViewSet`` with its kind and routes it; what the items
are comes from the kind's ``BatchItems`` (its serializer, its sheet). Every
action calls a service of ``registrar.batches``, as the staff page does.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.drainage import isolate_view_method
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from registrar import batches
from registrar.api_common import id_field, row_errors
from registrar.api_errors import CONFLICT_RESPONSE, ERROR_RESPONSES
from registrar.batch_kinds import BatchItems, ItemInput, ParsedItems, items_of
from registrar.models import Batch, College, Term
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload
from registrar.sheets.tables import RowError


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
            "attachments_requested",
            "item_count",
            "actions",
        ]
        read_only_fields = [
            "kind",
            "state",
            "comment",
            "document_number",
            "submitted_at",
            "decided_at",
            "attachments_requested",
        ]

    def get_actions(self, obj: Batch) -> list[str]:
        return [name for name, _ in batches.batch_actions(user=self.context["request"].user, batch=obj)]


class BatchCreateSerializer(serializers.Serializer):
    """A new list: the college and term it belongs to (the current term unless given); a name by default."""

    college = id_field(gettext_lazy("请选择院系（编号为整数）"))
    term = id_field(gettext_lazy("请选择学期（编号为整数）"), required=False)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


DecisionRequest = inline_serializer(
    "BatchDecision",
    {
        "comment": serializers.CharField(required=False, allow_blank=True),
        "document_number": serializers.CharField(required=False, allow_blank=True),
    },
)
ReturnRequest = inline_serializer(
    "BatchReturn",
    {
        "comment": serializers.CharField(help_text="退回原因（必填）"),
        "attachments_requested": serializers.BooleanField(
            required=False, default=False, help_text="要求学院补充证明材料后再提交"
        ),
    },
)
BATCH_DECISION_RESPONSES = {200: BatchSerializer, **ERROR_RESPONSES, **CONFLICT_RESPONSE}


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """名单: create, fill, submit, approve, return; one kind per subclass."""

    kind: ClassVar[str]
    # The kind's items as the API shows and takes them (a ModelSerializer of the item model).
    item_serializer: ClassVar[type[serializers.Serializer]]
    serializer_class = BatchSerializer
    filterset_fields = ["state", "college", "term"]

    @property
    def handler(self) -> BatchItems:
        return items_of(self.kind)

    def get_queryset(self) -> QuerySet:
        related = self.handler.item_model._meta.get_field("batch").related_query_name()
        return (
            Batch.objects.for_user(self.request.user)
            .filter(kind=self.kind)
            .select_related("college", "term__academic_year")
            .annotate(item_count=Count(related))
            .order_by("-pk")
        )

    def create(self, request: Request) -> Response:
        data = BatchCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        college = College.objects.for_user(request.user).filter(pk=data.validated_data["college"]).first()
        given = data.validated_data.get("term")
        term = Term.objects.filter(pk=given).first() if given else None
        if college is None or (given and term is None):
            raise ValidationError(_("院系或学期不存在"))
        batch = batches.batch_create(
            actor=request.user, kind=self.kind, college=college, term=term, title=data.validated_data["title"]
        )
        batch = self.get_queryset().get(pk=batch.pk)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    def _items(self, batch: Batch) -> Response:
        rows = self.handler.item_model._default_manager.filter(batch=batch).order_by("pk")
        return Response(self.item_serializer(rows, many=True).data)

    @action(detail=True, methods=["get"])
    def items(self, request: Request, pk: str) -> Response:
        return self._items(self.get_object())

    @items.mapping.post
    def upload_items(self, request: Request, pk: str) -> Response:
        """A sheet (``file``) replaces the list; rows (``items``) are added or changed."""
        batch = self.get_object()
        handler = self.handler
        upload = request.FILES.get("file")
        if upload is not None:
            # Who may change the list is checked before the file is read (SEC-1).
            if not batches.may_perform(request.user, batch, "submit"):
                raise PermissionDenied(_("只能修改本学院的名单"))
            try:
                parsed = handler.parse(read_upload(upload), upload.name)
            except FileFormatError as exc:
                parsed = ParsedItems([], [RowError(0, "", str(exc))])
            errors = batches.batch_items_upload(
                actor=request.user, batch_id=batch.pk, kind=self.kind, parsed=parsed
            )
        else:
            serializer = self.item_serializer(data=request.data.get("items", []), many=True)
            serializer.is_valid(raise_exception=True)
            given = [
                self.item_input(data, row) for row, data in enumerate(serializer.validated_data, start=1)
            ]
            errors = batches.batch_items_save(
                actor=request.user, batch_id=batch.pk, kind=self.kind, items=given, replace=False
            )
        if errors:
            return Response(
                {"detail": _("有错误，未保存"), "errors": row_errors(errors)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._items(batch)

    def item_input(self, data: dict, row: int) -> ItemInput:
        """One validated item of the request as the services take it."""
        raise NotImplementedError

    def _decided(self, batch: Batch) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=batch.pk)).data)

    @extend_schema(request=None, responses=BATCH_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        batch = self.get_object()
        batches.batch_submit(actor=request.user, batch_id=batch.pk, kind=self.kind)
        return self._decided(batch)

    @extend_schema(request=DecisionRequest, responses=BATCH_DECISION_RESPONSES)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        batch = self.get_object()
        batches.batch_approve(
            actor=request.user,
            batch_id=batch.pk,
            kind=self.kind,
            comment=str(request.data.get("comment", "")),
            document_number=str(request.data.get("document_number", ""))[:100],
        )
        return self._decided(batch)

    @extend_schema(request=ReturnRequest, responses=BATCH_DECISION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        batch = self.get_object()
        batches.batch_return(
            actor=request.user,
            batch_id=batch.pk,
            kind=self.kind,
            comment=str(request.data.get("comment", "")),
            attachments_requested=request.data.get("attachments_requested") in (True, "true", "1"),
        )
        return self._decided(batch)


def documented(viewset: type[BatchViewSet]) -> type[BatchViewSet]:
    """A kind's viewset with its OpenAPI description: its own item serializer and upload request."""
    items = viewset.item_serializer
    upload = inline_serializer(
        f"{viewset.__name__.removesuffix('ViewSet')}ItemsUpload",
        {
            "file": serializers.FileField(required=False, help_text="xlsx 或 DBF"),
            "items": items(many=True, required=False),
        },
    )
    extend_schema_view(
        create=extend_schema(
            request=BatchCreateSerializer, responses={201: BatchSerializer, **ERROR_RESPONSES}
        ),
        items=extend_schema(responses=items(many=True)),
    )(viewset)
    # The POST of ``items`` is a mapped method, not a view method: extend_schema_view does not reach it.
    extend_schema(
        request=upload,
        responses={200: items(many=True), **ERROR_RESPONSES, **CONFLICT_RESPONSE},
    )(isolate_view_method(viewset, "upload_items"))
    return viewset
