"""REST API of diploma registration: expected graduates, outcome lists, certificates and their decisions.

Same permissions as the pages: reads are scoped (another college's row is a 404),
students have no access, the registrar office builds, registers and decides
(SEC-1), id numbers are masked for all but the registrar office (SEC-2). Every
write calls the same service as its page; refusals go through ``registrar.api_errors``.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from diploma.models import (
    Certificate,
    CertificateAnnotation,
    CertificateCorrection,
    ExpectedGraduate,
    OutcomeItem,
)
from diploma.services.annotations import attestation_issue, completion_exchange, minor_annotate
from diploma.services.certificates import certificates_register
from diploma.services.corrections import (
    CORRECTABLE,
    CorrectionInput,
    certificate_revoke,
    correction_approve,
    correction_reject,
    correction_request,
)
from diploma.services.graduates import expected_graduates_build
from diploma.services.numbers import NumberOrder
from registrar.api_batches import BatchViewSet, documented
from registrar.api_common import RegistrarDecides, StaffRole, document_number_field, id_field, required_text
from registrar.api_errors import ERROR_RESPONSES
from registrar.batch_kinds import ItemInput
from registrar.idcard import mask, sees_full_id_numbers
from registrar.models import BatchKind
from registrar.roles import is_registrar


class Scoped(viewsets.ReadOnlyModelViewSet):
    """Staff read their colleges' rows; another college's is a 404 (SEC-2)."""

    permission_classes = [StaffRole]
    not_found = gettext_lazy("不存在")

    def get_queryset(self):
        return self.serializer_class.Meta.model.objects.for_user(self.request.user)

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(str(self.not_found)) from exc


def _registrar(request: Request, what: str) -> None:
    if not is_registrar(request.user):
        raise PermissionDenied(what)


# ---------------------------------------------------------------- expected graduates


class GraduateSerializer(serializers.ModelSerializer):
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    name = serializers.CharField(source="student.name", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = ExpectedGraduate
        fields = [
            "id",
            "student",
            "student_number",
            "name",
            "graduation_year",
            "graduation_date",
            "college",
            "major",
            "level",
            "outcome",
            "outcome_display",
            "outcome_document_number",
        ]


class BuildRequest(serializers.Serializer):
    """生成预计毕业生名单: the graduation year."""

    graduation_year = serializers.IntegerField(min_value=2000, max_value=2100)


BuildResponse = inline_serializer("GraduatesBuilt", {"added": serializers.IntegerField()})


class GraduateViewSet(Scoped):
    """预计毕业生 and their 毕(结)业结论 (DIP-1, DIP-10)."""

    serializer_class = GraduateSerializer
    filterset_fields = ["graduation_year", "outcome", "college"]
    not_found = gettext_lazy("预计毕业生不存在")

    def get_queryset(self):
        return super().get_queryset().select_related("student")

    @extend_schema(request=BuildRequest, responses={200: BuildResponse, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def build(self, request: Request) -> Response:
        """生成预计毕业生名单: in-school students by expected graduation date; idempotent (registrar)."""
        _registrar(request, gettext_lazy("只有教务处可以生成预计毕业生名单"))
        data = BuildRequest(data=request.data)
        data.is_valid(raise_exception=True)
        added = expected_graduates_build(
            actor=request.user, graduation_year=data.validated_data["graduation_year"]
        )
        return Response({"added": added})


# ---------------------------------------------------------------- the colleges' outcome lists


class OutcomeItemSerializer(serializers.ModelSerializer):
    """One graduate of an outcome list: 学号, 毕(结)业结论, 说明."""

    student_number = serializers.CharField(source="graduate.student.student_number")
    name = serializers.CharField(source="graduate.student.name", read_only=True)

    class Meta:
        model = OutcomeItem
        fields = ["id", "student_number", "name", "outcome", "reason"]


@documented
class OutcomeListViewSet(BatchViewSet):
    """毕业结论名单: create, fill, upload, submit, approve, return (DIP-1)."""

    kind = BatchKind.GRADUATION_OUTCOME
    item_serializer = OutcomeItemSerializer

    def item_input(self, data: dict, row: int) -> ItemInput:
        return ItemInput(
            key=data["graduate"]["student"]["student_number"],
            outcome=data["outcome"],
            reason=data.get("reason", ""),
            row=row,
        )


# ---------------------------------------------------------------- certificates


class AnnotationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CertificateAnnotation
        fields = ["kind", "kind_display", "text", "document_number", "annotated_on"]


class DiplomaCertificateSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    id_number = serializers.SerializerMethodField()
    annotations = AnnotationSerializer(many=True, read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "student",
            "graduate",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "version",
            "supersedes",
            "certificate_number",
            "issued_on",
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "id_type",
            "id_number",
            "exam_number",
            "student_number",
            "college",
            "major_code",
            "major_name",
            "level",
            "program_years",
            "study_mode",
            "entry_date",
            "graduation_date",
            "school_name",
            "president_name",
            "revoked_on",
            "revocation_reason",
            "revocation_document_number",
            "annotations",
        ]

    def get_id_number(self, certificate: Certificate) -> str:
        """Full for the registrar office only (SEC-2)."""
        full = sees_full_id_numbers(self.context["request"].user)
        return certificate.id_number if full else mask(certificate.id_number)


class RegisterRequest(serializers.Serializer):
    """学历证书电子注册: which pre-checked certificates (all when absent) and the numbering order."""

    certificate_ids = serializers.ListField(
        child=id_field(gettext_lazy("证书编号应为整数")), required=False, allow_null=True, max_length=100000
    )
    order = serializers.ChoiceField(choices=NumberOrder.choices, default=NumberOrder.COLLEGE)


RegisterResponse = inline_serializer("CertificatesRegistered", {"registered": serializers.IntegerField()})


class DecisionSerializer(serializers.Serializer):
    """注销, 证明书, 辅修, 结业换毕业: the date, the reason or note, the 文号."""

    day = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    document_number = document_number_field()


class MinorSerializer(DecisionSerializer):
    minor_major = required_text(gettext_lazy("请填写辅修专业"), max_length=100)


class CorrectionRequestSerializer(serializers.Serializer):
    """更正申请 (DIP-6): the fields to correct and their new values, the reason, the evidence."""

    changes = serializers.DictField(child=serializers.CharField(max_length=100, allow_blank=True))
    reason = required_text(gettext_lazy("请填写更正原因"), max_length=500)
    evidence_note = required_text(gettext_lazy("请填写证明材料说明"), max_length=200)

    def validate_changes(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(CORRECTABLE))
        if unknown or not value:
            raise serializers.ValidationError(
                gettext_lazy("可更正的项目：%(fields)s") % {"fields": "、".join(CORRECTABLE)}
            )
        return value


class CertificateViewSet(Scoped):
    """学历证书: scoped reads; registration and each later decision are the registrar's (DIP-5 to DIP-11)."""

    serializer_class = DiplomaCertificateSerializer
    filterset_fields = ["state", "kind", "graduation_year", "college", "student"]
    not_found = gettext_lazy("学历证书不存在")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("annotations").order_by("certificate_number", "pk")

    def _answer(self, certificate: Certificate, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=certificate.pk)).data, status=code)

    @extend_schema(request=RegisterRequest, responses={200: RegisterResponse, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def register(self, request: Request) -> Response:
        """学历证书电子注册: the given (or every) pre-checked certificate whose graduation date has come."""
        _registrar(request, gettext_lazy("只有教务处可以注册学历证书"))
        data = RegisterRequest(data=request.data)
        data.is_valid(raise_exception=True)
        registered = certificates_register(
            actor=request.user,
            certificate_ids=data.validated_data.get("certificate_ids"),
            order=data.validated_data["order"],
        )
        return Response({"registered": registered})

    def _decision(self, request: Request, serializer: type[serializers.Serializer]):
        certificate = self.get_object()
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return certificate, data.validated_data

    @extend_schema(
        request=DecisionSerializer, responses={200: DiplomaCertificateSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def revoke(self, request: Request, pk: str) -> Response:
        """注销 (SEC-4): the decision's date, reason and 文号 are required."""
        certificate, data = self._decision(request, DecisionSerializer)
        certificate_revoke(
            actor=request.user,
            certificate_id=certificate.pk,
            decided_on=data["day"],
            reason=data["reason"],
            document_number=data["document_number"],
        )
        return self._answer(certificate)

    @extend_schema(
        request=DecisionSerializer, responses={200: DiplomaCertificateSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def attest(self, request: Request, pk: str) -> Response:
        """出具证明书 for a lost certificate, annotated (DIP-7)."""
        certificate, data = self._decision(request, DecisionSerializer)
        attestation_issue(
            actor=request.user,
            certificate_id=certificate.pk,
            issued_on=data["day"],
            reason=data["reason"],
            document_number=data["document_number"],
        )
        return self._answer(certificate)

    @extend_schema(request=MinorSerializer, responses={200: DiplomaCertificateSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def minor(self, request: Request, pk: str) -> Response:
        """辅修, annotated on the main certificate (DIP-8)."""
        certificate, data = self._decision(request, MinorSerializer)
        minor_annotate(
            actor=request.user,
            certificate_id=certificate.pk,
            minor_major=data["minor_major"],
            annotated_on=data["day"],
            document_number=data["document_number"],
            note=data["reason"],
        )
        return self._answer(certificate)

    @extend_schema(
        request=DecisionSerializer, responses={201: DiplomaCertificateSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def exchange(self, request: Request, pk: str) -> Response:
        """结业换发毕业证书 (DIP-11): a new 毕业 version with the same number; answers the new version."""
        certificate, data = self._decision(request, DecisionSerializer)
        new = completion_exchange(
            actor=request.user,
            certificate_id=certificate.pk,
            decided_on=data["day"],
            document_number=data["document_number"],
            reason=data["reason"],
        )
        return self._answer(new, status.HTTP_201_CREATED)

    @extend_schema(request=CorrectionRequestSerializer, responses={201: None, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def correction(self, request: Request, pk: str) -> Response:
        """提出更正申请 (DIP-6): nothing changes until the provincial authority approves."""
        certificate, data = self._decision(request, CorrectionRequestSerializer)
        correction = correction_request(
            actor=request.user,
            certificate_id=certificate.pk,
            data=CorrectionInput(
                changes=data["changes"], reason=data["reason"], evidence_note=data["evidence_note"]
            ),
        )
        return Response(
            DiplomaCorrectionSerializer(correction, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


# ---------------------------------------------------------------- corrections


class DiplomaCorrectionSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = CertificateCorrection
        fields = [
            "id",
            "certificate",
            "changes",
            "reason",
            "evidence_note",
            "state",
            "state_display",
            "requested_at",
            "authority",
            "authority_document_number",
            "decided_on",
            "decision_note",
            "new_certificate",
        ]


class CorrectionDecisionSerializer(serializers.Serializer):
    """The provincial authority's answer: approved (with authority and 文号) or refused (with a note)."""

    approved = serializers.BooleanField()
    authority = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    document_number = document_number_field()
    day = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CorrectionViewSet(Scoped):
    """学历证书更正 (DIP-6): cases waiting for the provincial authority, and their outcome."""

    serializer_class = DiplomaCorrectionSerializer
    filterset_fields = ["state", "certificate"]
    not_found = gettext_lazy("更正申请不存在")

    @extend_schema(
        request=CorrectionDecisionSerializer, responses={200: DiplomaCorrectionSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], permission_classes=[StaffRole, RegistrarDecides])
    def decide(self, request: Request, pk: str) -> Response:
        """登记省级审批结果: approved registers a new version that supersedes the old; refused leaves it."""
        correction = self.get_object()
        data = CorrectionDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["approved"]:
            correction_approve(
                actor=request.user,
                correction_id=correction.pk,
                authority=values["authority"],
                document_number=values["document_number"],
                approved_on=values["day"],
                note=values["note"],
            )
        else:
            correction_reject(
                actor=request.user,
                correction_id=correction.pk,
                document_number=values["document_number"],
                decided_on=values["day"],
                note=values["note"],
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=correction.pk)).data)
