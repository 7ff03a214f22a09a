"""The OpenAPI schema's generator: every operation documents the refusals of the API's error policy."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from registrar.api_errors import COMMON_RESPONSES


class ErrorDocumentingSchema(AutoSchema):
    """REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]: every operation declares the refusals any endpoint may give.

    400 (bad input), 403 (not signed in, or not allowed), 404 (unknown, out of scope, or a page past
    the end) and 429 (a budget spent) come from the framework for every endpoint, in the ``ApiError``
    body; an operation's own declarations (e.g. 409) stay as they are.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in COMMON_RESPONSES.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return responses
