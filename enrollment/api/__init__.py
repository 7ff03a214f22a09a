"""REST API of freshman registration: fetch with permission, call one service, respond."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from enrollment import selectors, services
from enrollment.api_records import (
    MAX_ID,
    ClearConflictRequestSerializer,
    RegistrarDecides,
    RereviewRequestSerializer,
    StaffRole,
    TransitionRequestSerializer,
)
from enrollment.imports import ParsedSheet, RowError, parse_admissions, parse_review_results
from enrollment.models import AdmissionRecord, ReviewItem
from enrollment.services.admission_import import may_import_admissions
from registrar.api_errors import CONFLICT_RESPONSE, ERROR_RESPONSES, ApiError
from registrar.batches import batch_actions, may_perform
from registrar.idcard import mask
from registrar.models import Batch, College, Term
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload


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


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="行号（表头为第1行；0表示整个文件）")
    column = serializers.CharField()
    reason = serializers.CharField()


def row_errors(errors: list[RowError]) -> list[dict]:
    return [{"row": e.row, "column": e.column, "reason": e.reason} for e in errors]


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


ImportRequest = inline_serializer(
    "AdmissionImportRequest",
    {
        "file": serializers.FileField(help_text="xlsx 或 DBF"),
        "year": serializers.IntegerField(),
        "dry_run": serializers.BooleanField(required=False, default=False),
    },
)
ImportResponse = inline_serializer(
    "AdmissionImportResult",
    {
        "detail": serializers.CharField(),
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "skipped": serializers.ListField(child=serializers.CharField()),
        "flagged": serializers.ListField(child=serializers.CharField()),
        "dry_run": serializers.BooleanField(),
        "errors": RowErrorSerializer(many=True),
    },
)


def admission_year(value) -> int:
    """招生年份 of an import: four ASCII digits in a plausible range, else a 400 naming ``year``."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4 and 1950 <= int(text) <= 2100):
        raise ValidationError({"year": [_("请填写招生年份（1950–2100 之间的四位数字）")]})
    return int(text)


class ImportView(APIView):
    """录取数据导入 (ENR-1): 400 with every row error, or the counts."""

    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request=ImportRequest,
        responses={
            200: ImportResponse,
            400: OpenApiResponse(
                ApiError, description="输入有误；按行列出的错误在 errors 中，其余计数同 200"
            ),
        },
    )
    def post(self, request: Request) -> Response:
        # The role first, before the body is read: nobody else makes the server parse a file (SEC-1).
        if not may_import_admissions(request.user):
            raise PermissionDenied(_("只有教务处可以导入录取数据"))
        upload = request.FILES.get("file")
        year = admission_year(request.data.get("year"))
        if upload is None:
            raise ValidationError({"file": [_("请选择文件")]})
        dry_run = str(request.data.get("dry_run", "")).lower() in ("1", "true", "on")
        try:
            sheet = parse_admissions(read_upload(upload), upload.name)
        except FileFormatError as exc:
            sheet = ParsedSheet.refused(str(exc))
        result = services.admission_import(
            actor=request.user, year=year, sheet=sheet, file_name=upload.name, dry_run=dry_run
        )
        body = {
            "detail": _("有错误，未导入") if result.errors else _("已导入"),
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "skipped": result.skipped,
            "flagged": result.flagged,
            "dry_run": result.dry_run,
            "errors": row_errors(result.errors),
        }
        return Response(body, status=status.HTTP_400_BAD_REQUEST if result.errors else status.HTTP_200_OK)


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
