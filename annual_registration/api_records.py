"""REST API of 学籍记载 (ANN-7), identity changes (ANN-8), the statistics table (ANN-12) and the student's archive.

Same permissions as the pages: reads are scoped (another college's row is a 404),
the registrar office records and decides (SEC-1), a student reads their own archive
and files their own identity change, id numbers are masked for all but the
registrar office (SEC-2). Refusals go through ``registrar.api_errors``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annual_registration.models import (
    Award,
    IdentityChangeRequest,
    IssuedCertificate,
    Punishment,
    StatisticsReport,
)
from annual_registration.models.identity import IdentityField, RefusalGround
from annual_registration.models.records import AwardLevel, CertificateKind, PunishmentKind
from annual_registration.reports import annual_statistics
from annual_registration.services.identity import identity_change_decide, identity_change_file, shown_changes
from annual_registration.services.records import (
    AwardInput,
    PunishmentInput,
    award_record,
    certificate_issue,
    punishment_lift,
    punishment_record,
)
from annual_registration.services.reports import statistics_report_send
from annual_registration.timeline import student_record
from registrar.api_common import RegistrarDecides, StaffRole, document_number_field, id_field, required_text
from registrar.api_errors import ERROR_RESPONSES
from registrar.idcard import sees_full_id_numbers
from registrar.models import AcademicYear, Student
from registrar.roles import STAFF_ROLES, Role, can_write, role_of


def student_field() -> serializers.IntegerField:
    return id_field(gettext_lazy("请填写学生编号"))


def _year(value: Any) -> AcademicYear:
    text = str(value or "").strip()
    year = (
        AcademicYear.objects.filter(start_year=int(text)).first()
        if text.isascii() and text.isdigit() and len(text) == 4
        else None
    )
    if year is None:
        raise ValidationError({"academic_year": [_("没有这个学年（请填写学年的起始年份，如2027）")]})
    return year


class RecordSerializer(serializers.ModelSerializer):
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    student_name = serializers.CharField(source="student.name", read_only=True)


# ---------------------------------------------------------------- awards


class AwardSerializer(RecordSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "student",
            "student_number",
            "student_name",
            "name",
            "level",
            "level_display",
            "awarded_on",
            "granting_body",
            "document_number",
            "note",
            "recorded_at",
        ]


class AwardCreateSerializer(serializers.Serializer):
    """登记奖励 (ANN-7); the service checks the values and answers in Chinese."""

    student = student_field()
    name = required_text(gettext_lazy("请填写奖励名称"), max_length=100)
    level = serializers.ChoiceField(choices=AwardLevel.choices)
    awarded_on = serializers.DateField()
    granting_body = required_text(gettext_lazy("请填写授予单位"), max_length=100)
    document_number = document_number_field()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ScopedRecords(viewsets.ReadOnlyModelViewSet):
    """A 学籍记载 list: staff see their colleges' rows; only the registrar records (SEC-1)."""

    permission_classes = [StaffRole]
    filterset_fields = ["student"]
    not_found = gettext_lazy("不存在")

    def get_queryset(self):
        return self.serializer_class.Meta.model.objects.for_user(self.request.user).select_related("student")

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(str(self.not_found)) from exc

    def _created(self, row) -> Response:
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


class AwardViewSet(ScopedRecords):
    """奖励 (ANN-7)."""

    serializer_class = AwardSerializer
    not_found = gettext_lazy("奖励记录不存在")

    @extend_schema(request=AwardCreateSerializer, responses={201: AwardSerializer, **ERROR_RESPONSES})
    def create(self, request: Request) -> Response:
        data = AwardCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        student_id = values.pop("student")
        return self._created(
            award_record(actor=request.user, student_id=student_id, data=AwardInput(**values))
        )


# ---------------------------------------------------------------- punishments


class PunishmentSerializer(RecordSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    period_end = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Punishment
        fields = [
            "id",
            "student",
            "student_number",
            "student_name",
            "kind",
            "kind_display",
            "reason",
            "document_number",
            "decided_on",
            "period_months",
            "period_end",
            "state",
            "state_display",
            "lifted_on",
            "lift_document_number",
            "lift_reason",
        ]


class PunishmentCreateSerializer(serializers.Serializer):
    """登记处分 (ANN-7): 开除学籍 has no period; the others 1 to 24 months."""

    student = student_field()
    kind = serializers.ChoiceField(choices=PunishmentKind.choices)
    reason = required_text(gettext_lazy("请填写处分原因"), max_length=500)
    document_number = required_text(gettext_lazy("请填写处分文号"), max_length=100)
    decided_on = serializers.DateField()
    period_months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=24)


class PunishmentLiftSerializer(serializers.Serializer):
    """解除处分 (ANN-7): a decision with its date and 文号; before the period ends, a reason."""

    lifted_on = serializers.DateField()
    document_number = required_text(gettext_lazy("请填写解除文号"), max_length=100)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PunishmentViewSet(ScopedRecords):
    """处分 (ANN-7), and their lifting."""

    serializer_class = PunishmentSerializer
    filterset_fields = ["student", "state", "kind"]
    not_found = gettext_lazy("处分不存在")

    @extend_schema(
        request=PunishmentCreateSerializer, responses={201: PunishmentSerializer, **ERROR_RESPONSES}
    )
    def create(self, request: Request) -> Response:
        data = PunishmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        student_id = values.pop("student")
        values.setdefault("period_months", None)
        punishment = punishment_record(
            actor=request.user, student_id=student_id, data=PunishmentInput(**values)
        )
        return self._created(punishment)

    @extend_schema(request=PunishmentLiftSerializer, responses={200: PunishmentSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def lift(self, request: Request, pk: str) -> Response:
        """解除处分 (ANN-7): in force → lifted."""
        punishment = self.get_object()
        data = PunishmentLiftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        punishment_lift(actor=request.user, punishment_id=punishment.pk, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=punishment.pk)).data)


# ---------------------------------------------------------------- certificates


class CertificateSerializer(RecordSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = IssuedCertificate
        fields = [
            "id",
            "student",
            "student_number",
            "student_name",
            "kind",
            "kind_display",
            "number",
            "issued_on",
            "note",
        ]


class CertificateCreateSerializer(serializers.Serializer):
    """发放肄业证书或学习证明 (ANN-7): the number is drawn by the service."""

    student = student_field()
    kind = serializers.ChoiceField(choices=CertificateKind.choices)
    issued_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CertificateViewSet(ScopedRecords):
    """其他证书 (ANN-7): 肄业证书, 学习证明."""

    serializer_class = CertificateSerializer
    filterset_fields = ["student", "kind"]
    not_found = gettext_lazy("证书记录不存在")

    @extend_schema(
        request=CertificateCreateSerializer, responses={201: CertificateSerializer, **ERROR_RESPONSES}
    )
    def create(self, request: Request) -> Response:
        data = CertificateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        return self._created(
            certificate_issue(actor=request.user, student_id=values.pop("student"), **values)
        )


# ---------------------------------------------------------------- identity changes


class StudentOrStaff(permissions.BasePermission):
    """Staff and students read (each in their scope); the auditor only reads (SEC-1)."""

    def has_permission(self, request, view) -> bool:
        role = role_of(request.user)
        if role not in (*STAFF_ROLES, Role.STUDENT):
            self.message = _("请先登录")
            return False
        if (
            request.method not in permissions.SAFE_METHODS
            and role != Role.STUDENT
            and not can_write(request.user)
        ):
            self.message = _("审计人员只能查看")
            return False
        return True


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class ProofSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField(help_text="下载地址（仅所在学院与教务处）")


class IdentityChangeSerializer(RecordSerializer):
    changes = serializers.SerializerMethodField(help_text="变更内容（证件号码仅教务处可见全文）")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    proofs = serializers.SerializerMethodField(help_text="证明材料（下载地址）")

    class Meta:
        model = IdentityChangeRequest
        fields = [
            "id",
            "student",
            "student_number",
            "student_name",
            "changes",
            "reason",
            "gaokao_data_error",
            "chain",
            "state",
            "state_display",
            "admissions_document_number",
            "school_document_number",
            "province_document_number",
            "decided_on",
            "refusal_ground",
            "refusal_reason",
            "filed_at",
            "proofs",
        ]

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, obj: IdentityChangeRequest) -> list[dict[str, str]]:
        full = sees_full_id_numbers(self.context["request"].user)
        return [
            {"field": field, "before": before, "after": after}
            for field, before, after in shown_changes(obj, full_id_number=full)
        ]

    @extend_schema_field(ProofSerializer(many=True))
    def get_proofs(self, obj: IdentityChangeRequest) -> list[dict[str, Any]]:
        return [
            {
                "name": p.original_name,
                "size": p.size,
                "url": reverse("admin:annual_registration_identityproof_download", args=[p.pk]),
            }
            for p in obj.proofs.all()
        ]


class IdentityFileSerializer(serializers.Serializer):
    """学籍信息变更申请 (ANN-8), multipart: one or more of the four fields, a reason, proof files."""

    student = student_field()
    name = serializers.CharField(required=False, max_length=50, help_text="新的姓名")
    id_number = serializers.CharField(required=False, max_length=30, help_text="新的身份证号")
    birth_date = serializers.CharField(required=False, max_length=20, help_text="新的出生日期 YYYY-MM-DD")
    ethnicity = serializers.CharField(required=False, max_length=20, help_text="新的民族（代码或名称）")
    reason = required_text(gettext_lazy("请填写变更原因"), max_length=500)
    gaokao_data_error = serializers.BooleanField(required=False, default=False)
    proofs = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="证明材料：PDF、JPG 或 PNG"
    )


class IdentityDecisionSerializer(serializers.Serializer):
    """One decision of the school's approval chain (ANN-8)."""

    transition = serializers.ChoiceField(
        choices=["confirm_admissions", "approve", "approve_for_province", "approve_province", "refuse"]
    )
    date = serializers.DateField(required=False, allow_null=True, default=None)
    document_number = document_number_field()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    ground = serializers.ChoiceField(
        choices=RefusalGround.choices, required=False, allow_blank=True, default=""
    )


class IdentityChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """学籍信息变更申请 (ANN-8): students see and file their own; staff their colleges'; the registrar decides."""

    serializer_class = IdentityChangeSerializer
    permission_classes = [StudentOrStaff]
    filterset_fields = ["student", "state"]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        return (
            IdentityChangeRequest.objects.for_user(self.request.user)
            .select_related("student")
            .prefetch_related("proofs")
        )

    def get_object(self) -> IdentityChangeRequest:
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("信息变更申请不存在")) from exc

    @extend_schema(
        request=IdentityFileSerializer, responses={201: IdentityChangeSerializer, **ERROR_RESPONSES}
    )
    def create(self, request: Request) -> Response:
        data = IdentityFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        requested = {field: values[field] for field in IdentityField.values if field in values}
        try:
            filed = identity_change_file(
                actor=request.user,
                student_id=values["student"],
                requested=requested,
                reason=values["reason"],
                proofs=request.FILES.getlist("proofs"),
                gaokao_data_error=values["gaokao_data_error"],
            )
        except Student.DoesNotExist as exc:
            raise NotFound(_("学生不存在")) from exc
        return Response(self.get_serializer(filed).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=IdentityDecisionSerializer, responses={200: IdentityChangeSerializer, **ERROR_RESPONSES}
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[StaffRole, RegistrarDecides],
        parser_classes=[parsers.JSONParser, parsers.FormParser],
    )
    def decide(self, request: Request, pk: str) -> Response:
        """One decision (ANN-8): the last approval applies the change; ``refuse`` needs ground and reason."""
        change = self.get_object()
        data = IdentityDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        identity_change_decide(actor=request.user, request_id=change.pk, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)


# ---------------------------------------------------------------- ANN-12 and the student's archive


class StatisticsRowSerializer(serializers.Serializer):
    """One row of the statistics table: a college, grade and level (or the total, grade null)."""

    college_code = serializers.CharField()
    college = serializers.CharField()
    grade = serializers.IntegerField(allow_null=True)
    level = serializers.CharField(help_text="层次代码")
    on_roll = serializers.IntegerField(help_text="应注册人数")
    states = serializers.DictField(child=serializers.IntegerField(), help_text="各注册状态人数")
    in_school = serializers.IntegerField(help_text="在校生数（已注册学籍）")


class StatisticsSerializer(serializers.Serializer):
    academic_year = serializers.IntegerField()
    rows = StatisticsRowSerializer(many=True)
    total = StatisticsRowSerializer()


class StatisticsView(APIView):
    """学年电子注册情况统计表 (ANN-12, ANN-9): ``?academic_year=2027``; college staff get their colleges."""

    permission_classes = [StaffRole]

    @extend_schema(responses={200: StatisticsSerializer, **ERROR_RESPONSES})
    def get(self, request: Request) -> Response:
        statistics = annual_statistics(request.user, _year(request.query_params.get("academic_year")))
        return Response(statistics.as_figures())


class StatisticsReportSerializer(serializers.ModelSerializer):
    academic_year = serializers.IntegerField(source="academic_year.start_year", read_only=True)
    sent_by = serializers.CharField(source="sent_by.get_username", read_only=True)

    class Meta:
        model = StatisticsReport
        fields = [
            "id",
            "academic_year",
            "recipient",
            "document_number",
            "sent_on",
            "sent_by",
            "sha256",
            "figures",
        ]


class StatisticsReportSendSerializer(serializers.Serializer):
    """报送学年电子注册情况统计表 (ANN-12): once per school and year."""

    academic_year = serializers.IntegerField(help_text="学年起始年份")
    sent_on = serializers.DateField()
    recipient = required_text(gettext_lazy("请填写报送单位"), max_length=100)
    document_number = document_number_field()


class StatisticsReportViewSet(viewsets.ReadOnlyModelViewSet):
    """The record of each year's table sent to the province (ANN-12): the registrar's and the auditor's."""

    serializer_class = StatisticsReportSerializer
    permission_classes = [StaffRole]

    def get_queryset(self):
        return StatisticsReport.objects.for_user(self.request.user).select_related("academic_year", "sent_by")

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("报送记录不存在")) from exc

    @extend_schema(
        request=StatisticsReportSendSerializer, responses={201: StatisticsReportSerializer, **ERROR_RESPONSES}
    )
    def create(self, request: Request) -> Response:
        data = StatisticsReportSendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        report = statistics_report_send(
            actor=request.user, academic_year=_year(values.pop("academic_year")), **values
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


class TimelineEntrySerializer(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    document_number = serializers.CharField()
    changes = serializers.SerializerMethodField()

    def get_changes(self, entry) -> list[dict[str, str]]:
        return [{"field": f, "before": b, "after": a} for f, b, a in entry.changes]


class StudentRecordSerializer(serializers.ModelSerializer):
    """学籍档案 (QRY-1, ANN-11): the timeline, and what a deferral asks and by when."""

    class Meta:
        model = Student
        fields = ["id"]


class ArchiveViewSet(viewsets.GenericViewSet):
    """学籍档案 (QRY-1, ANN-11): a student reads their own (also after leaving); staff their colleges' students."""

    serializer_class = StudentRecordSerializer
    permission_classes = [StudentOrStaff]

    def get_queryset(self):
        return Student.objects.for_user(self.request.user)

    @extend_schema(
        responses={
            200: inline_serializer(
                "StudentArchive",
                {
                    "student": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "student_number": serializers.CharField(),
                    "id_number": serializers.CharField(help_text="证件号码（教务处以外脱敏）"),
                    "student_status": serializers.CharField(),
                    "left": serializers.BooleanField(),
                    "timeline": TimelineEntrySerializer(many=True),
                    "notice": serializers.DictField(allow_null=True),
                },
            ),
            **ERROR_RESPONSES,
        }
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        if not (pk.isascii() and pk.isdigit() and len(pk) < 19):
            raise NotFound(_("学生不存在"))
        try:
            record = student_record(request.user, int(pk))
        except Student.DoesNotExist as exc:
            raise NotFound(_("学生不存在")) from exc
        notice = record.notice
        return Response(
            {
                "student": record.student.pk,
                "name": record.student.name,
                "student_number": record.student.student_number or "",
                "id_number": record.masked_id_number,
                "student_status": record.student.get_student_status_display(),
                "left": record.left,
                "timeline": TimelineEntrySerializer(record.timeline, many=True).data,
                "notice": {
                    "academic_year": notice.academic_year,
                    "state": notice.state,
                    "todo": notice.todo,
                    "due": notice.due.isoformat(),
                }
                if notice
                else None,
            }
        )
