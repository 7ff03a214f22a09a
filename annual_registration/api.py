"""Annual registration in the API: the roll with its blockers, opening a year, the fee sheet, the lists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annual_registration.blockers import blockers_of, with_blockers
from annual_registration.models import AnnualItem, AnnualRegistration
from annual_registration.services import annual_roll_open, fee_import, parse_fees
from annual_registration.services.fees import may_import_fees
from registrar.api_batches import BatchViewSet, documented
from registrar.api_common import StaffRole, row_errors
from registrar.api_errors import ERROR_RESPONSES, ApiError
from registrar.batch_kinds import ItemInput
from registrar.models import AcademicYear, BatchKind
from registrar.roles import is_registrar
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload
from registrar.sheets.tables import ParsedSheet


class RegistrationSerializer(serializers.ModelSerializer):
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    name = serializers.CharField(source="student.name", read_only=True)
    academic_year = serializers.IntegerField(source="academic_year.start_year", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    blockers = serializers.SerializerMethodField(help_text="阻碍注册的原因")

    class Meta:
        model = AnnualRegistration
        fields = [
            "id",
            "student_number",
            "name",
            "college",
            "academic_year",
            "state",
            "state_display",
            "deferral_reason",
            "reason",
            "registered_on",
            "blockers",
        ]

    def get_blockers(self, registration: AnnualRegistration) -> list[str]:
        return [str(b.label) for b in blockers_of(registration)]


YearRequest = inline_serializer(
    "AnnualYear", {"academic_year": serializers.IntegerField(help_text="学年起始年份")}
)


def _year(value) -> AcademicYear:
    text = str(value or "").strip()
    year = (
        AcademicYear.objects.filter(start_year=int(text)).first()
        if text.isascii() and text.isdigit() and len(text) == 4
        else None
    )
    if year is None:
        raise ValidationError({"academic_year": [_("没有这个学年（请填写学年的起始年份，如2027）")]})
    return year


class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    """学年注册: the roll with what blocks each student (ANN-1, ANN-9, ANN-10); staff see their colleges."""

    serializer_class = RegistrationSerializer
    permission_classes = [StaffRole]
    filterset_fields = ["state", "college"]

    def get_queryset(self):
        queryset = AnnualRegistration.objects.for_user(self.request.user).select_related(
            "student", "academic_year"
        )
        year = self.request.query_params.get("academic_year")
        if year:
            queryset = queryset.filter(academic_year=_year(year))
        return with_blockers(queryset).order_by("academic_year__start_year", "student__student_number")

    @extend_schema(
        request=YearRequest,
        responses={
            200: inline_serializer("AnnualRollOpened", {"added": serializers.IntegerField()}),
            **ERROR_RESPONSES,
        },
    )
    @action(detail=False, methods=["post"])
    def open(self, request: Request) -> Response:
        """开启学年注册 (ANN-1): idempotent; answers how many students were added."""
        if not is_registrar(request.user):
            raise PermissionDenied(_("只有教务处可以开启学年注册"))
        added = annual_roll_open(actor=request.user, academic_year=_year(request.data.get("academic_year")))
        return Response({"added": added})


FeeRequest = inline_serializer(
    "FeeImportRequest",
    {"file": serializers.FileField(help_text="xlsx 或 DBF"), "academic_year": serializers.IntegerField()},
)
FeeResponse = inline_serializer(
    "FeeImportResult",
    {"imported": serializers.IntegerField(), "changed": serializers.IntegerField()},
)


class FeeImportView(APIView):
    """导入缴费数据 (ANN-10): 400 with every row error and nothing written, or the counts."""

    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request=FeeRequest,
        responses={
            200: FeeResponse,
            400: OpenApiResponse(ApiError, description="按行列出的错误在 errors 中"),
        },
    )
    def post(self, request: Request) -> Response:
        # The role first, before the body is read (SEC-1).
        if not may_import_fees(request.user):
            raise PermissionDenied(_("只有教务处可以导入缴费数据"))
        year = _year(request.data.get("academic_year"))
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("请选择文件")]})
        try:
            sheet = parse_fees(read_upload(upload), upload.name)
        except FileFormatError as exc:
            sheet = ParsedSheet.refused(str(exc))
        result = fee_import(actor=request.user, academic_year=year, sheet=sheet, file_name=upload.name)
        if result.errors:
            return Response(
                {"detail": _("有错误，未导入"), "errors": row_errors(result.errors)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"imported": result.imported, "changed": result.changed})


class AnnualItemSerializer(serializers.ModelSerializer):
    """One student of an annual list: 学号, 注册结论, 暂缓原因, 说明."""

    student_number = serializers.CharField(source="registration.student.student_number")
    name = serializers.CharField(source="registration.student.name", read_only=True)

    class Meta:
        model = AnnualItem
        fields = ["id", "student_number", "name", "outcome", "deferral_reason", "reason"]


@documented
class AnnualListViewSet(BatchViewSet):
    """学年注册名单: create, fill, submit, approve, return (ANN-2, ANN-3)."""

    kind = BatchKind.ANNUAL_REGISTRATION
    item_serializer = AnnualItemSerializer

    def item_input(self, data: dict, row: int) -> ItemInput:
        return ItemInput(
            key=data["registration"]["student"]["student_number"],
            outcome=data["outcome"],
            reason=data.get("reason", ""),
            row=row,
            extra={"deferral_reason": data.get("deferral_reason", "")},
        )
