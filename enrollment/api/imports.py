"""录取数据导入 in the API (ENR-1), and the row errors that every sheet upload answers with."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from enrollment import services
from enrollment.imports import ParsedSheet, parse_admissions
from enrollment.services.admission_import import may_import_admissions
from registrar.api_common import RowErrorSerializer, row_errors
from registrar.api_errors import ApiError
from registrar.sheets.errors import FileFormatError
from registrar.sheets.limits import read_upload

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
