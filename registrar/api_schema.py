"""The OpenAPI schema's generator: every operation documents the refusals of the API's error policy."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from registrar.api_errors import ApiError


class ErrorDocumentingSchema(AutoSchema):
    """REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]: every operation declares the refusals any endpoint may give.

    400 (bad input), 403 (not signed in, or not allowed), 404 (unknown, out of scope, or a page past
    the end) and 429 (a budget spent) come from the framework for every endpoint, in the ``ApiError``
    body; an operation's own declarations (e.g. 409) stay as they are.
    """

    COMMON = {
        "400": "输入有误，或当前状态不能办理",
        "403": "未登录或无权办理",
        "404": "不存在（或不在本人权限范围内）",
        "429": "操作过于频繁，请稍后再试",
    }

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self.COMMON.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ApiError, description=description), code, direction=direction
                )
        return responses
