"""One error policy for the API: every refusal is a 4xx with a Chinese reason in one body shape.

Domain refusals (``DomainError`` and its kin) are 400, a batch that moved on is 409,
a permission refusal 403, an unknown or out-of-scope object 404 (SEC-2). The body is
always ``{"detail": reason}``, with ``errors`` (per field, or per row) or ``problems``
(per item) when there are several reasons. Unexpected exceptions still propagate: a
500 is a bug to fix, not an answer to dress up.
"""

from __future__ import annotations

from typing import Any

from django import db
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from registrar.batches import BatchConflict, BatchInvalid
from registrar.services import DomainError


class ApiError(serializers.Serializer):
    """The body of every 4xx answer."""

    detail = serializers.CharField(help_text="原因（中文）")
    errors = serializers.JSONField(required=False, help_text="按字段（或按行）列出的原因")
    problems = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="逐项列出的问题"
    )


#: The refusals every endpoint may give, for ``extend_schema(responses=...)``.
ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(ApiError, description="输入有误，或当前状态不能办理"),
    403: OpenApiResponse(ApiError, description="未登录或无权办理"),
    404: OpenApiResponse(ApiError, description="不存在（或不在本人权限范围内）"),
}
CONFLICT_RESPONSE: dict[int, OpenApiResponse] = {
    409: OpenApiResponse(ApiError, description="名单状态已变（如已被他人审批）"),
}
#: What the framework may answer on any endpoint; ``registrar.api_schema`` documents it everywhere.
COMMON_RESPONSES: dict[int, OpenApiResponse] = {
    **ERROR_RESPONSES,
    429: OpenApiResponse(ApiError, description="操作过于频繁，请稍后再试"),
    503: OpenApiResponse(ApiError, description="数据库暂时不可用，本次操作没有写入"),
}


class Refused(exceptions.APIException):
    """A domain refusal: the input was well formed, but the rules say no."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


class Conflict(exceptions.APIException):
    """The object moved on meanwhile (e.g. another registrar approved the list)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Unavailable(exceptions.APIException):
    """The database dropped the connection mid-request (a restart): the transaction rolled back."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


class NotAnObject(exceptions.ParseError):
    """A JSON body whose top level is not an object."""


class ObjectJSONParser(JSONParser):
    """JSON bodies are objects: a list, a number or a string at the top level is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise NotAnObject(_("请求内容应为 JSON 对象（{…}）"))
        return data


def as_api_exception(exc: Exception) -> Exception:
    """Our refusals as the DRF exception with their status; anything else unchanged."""
    if isinstance(exc, BatchConflict):
        return Conflict(str(exc))
    if isinstance(exc, BatchInvalid):
        refusal = Refused(_("名单有问题，未提交"))
        refusal.problems = exc.problems
        return refusal
    if isinstance(exc, DomainError):
        return Refused(str(exc) or _("当前状态不能办理"))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or _("无权办理"))
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound(_("不存在"))
    if isinstance(exc, (db.OperationalError, db.InterfaceError)):
        return Unavailable(_("数据库暂时不可用，本次操作没有写入，请稍后重试"))
    if type(exc) is exceptions.ParseError:  # DRF's English "JSON parse error - Expecting value…"
        return exceptions.ParseError(_("请求内容无法解析，请检查格式（如 JSON 是否完整）"))
    return exc


def reasons(data: Any) -> list[str]:
    """Every message in a DRF error structure, in order."""
    if isinstance(data, dict):
        return [m for value in data.values() for m in reasons(value)]
    if isinstance(data, list):
        return [m for value in data for m in reasons(value)]
    return [str(data)]


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: the one place that turns refusals into answers."""
    from rest_framework.views import exception_handler  # here: rest_framework.views reads our parser

    exc = as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        body: dict[str, Any] = {"detail": str(data["detail"])}
    else:
        body = {"detail": "；".join(dict.fromkeys(reasons(data))) or _("输入有误"), "errors": data}
    if getattr(exc, "problems", None):
        body = {"detail": body["detail"], "problems": exc.problems}
    response.data = body
    return response
