"""The OpenAPI document: every operation also lists the error responses it can give,
so a schema-driven client (and the fuzzer) knows the error body for each code.

The errors are added to what drf-spectacular describes, through its public API only:
``get_operation`` (the schema class's entry point, so ``@extend_schema`` responses get them
too), ``resolve_serializer`` (registers the ``Error`` component) and ``map_renderers`` (the
media types the view renders)."""

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_media_type_object

READ_ERRORS = (400, 401, 403, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 429)


class AutoSchema(openapi.AutoSchema):
    def _error_statuses(self) -> tuple[int, ...]:
        declared = getattr(self.view, "error_statuses", None)
        if declared is None:
            return READ_ERRORS if self.method in ("GET", "HEAD", "OPTIONS") else WRITE_ERRORS
        # Any request can be refused with 400 before its view runs (config/input_guard.py: a
        # NUL, an over-long number or an impossible date in the query string).
        return tuple(sorted({400, *declared}))

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:  # excluded from the document
            return None
        from .serializers import Error

        responses = operation["responses"]
        for status in self._error_statuses():
            if str(status) not in responses:
                error = self.resolve_serializer(Error, "response").ref
                content = {media: build_media_type_object(error) for media in self.map_renderers("media_type")}
                responses[str(status)] = {"content": content, "description": ""}
        return operation


class ActionAutoSchema(AutoSchema):
    """The action endpoint, described from the registry as it is when the document is built
    (so actions other apps register are listed without a change here)."""

    def get_override_parameters(self):
        from drf_spectacular.utils import OpenApiParameter

        from .actions import action_codes

        return [
            OpenApiParameter("number", str, OpenApiParameter.PATH, description="案件编号，如 GH-2026-000123"),
            OpenApiParameter(
                "action", str, OpenApiParameter.PATH, enum=action_codes(), description="操作代码（见 allowed_actions）"
            ),
        ]

    def get_request_serializer(self):
        from .actions import action_body_serializer

        return action_body_serializer()
