"""``/api/v1/notifications/``: the caller's in-app notifications; mark one read."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from idempotency.decorators import idempotent

from . import selectors, services
from .exceptions import NotificationError
from .models import Notification

MAX_LIMIT = 200


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ("id", "event", "subject", "body", "link", "created_at", "read", "read_at")

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationPage(serializers.Serializer):
    count = serializers.IntegerField()
    unread = serializers.IntegerField()
    results = NotificationSerializer(many=True)


class NotificationReadOut(NotificationSerializer):
    unread = serializers.IntegerField()

    class Meta(NotificationSerializer.Meta):
        fields = (*NotificationSerializer.Meta.fields, "unread")


class _Base(APIView):
    # Authentication: the API-wide defaults (REST_FRAMEWORK in config/settings.py): token, then session.
    permission_classes = [IsAuthenticated]


def _int_param(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise NotificationError(_("参数 %(name)s 应为非负整数。") % {"name": name}) from None
    if value < 0:
        raise NotificationError(_("参数 %(name)s 应为非负整数。") % {"name": name})
    return min(value, maximum) if maximum else value


_ERROR_CODES = {400: "invalid", 403: "forbidden", 404: "not_found", 409: "conflict"}


def _error(exc: NotificationError) -> Response:
    """The API-wide error body (see docs/api.md): status, code, Chinese message, fields."""
    body = {"status": exc.status, "code": _ERROR_CODES.get(exc.status, "invalid"), "message": str(exc.message)}
    return Response({**body, "fields": {}, "detail": body["message"]}, status=exc.status)


class NotificationList(_Base):
    """GET: newest first; ``?unread=1`` only unread; ``limit`` (≤200) and ``offset``."""

    error_statuses = (400, 401, 403, 429)

    @extend_schema(
        operation_id="notifications_list",
        parameters=[
            OpenApiParameter("unread", str, enum=["1", "true"], description="只列未读"),
            OpenApiParameter("limit", int, description="条数（默认 50，至多 200）"),
            OpenApiParameter("offset", int, description="跳过的条数"),
        ],
        responses={200: NotificationPage},
        tags=["notifications"],
    )
    def get(self, request):
        try:
            limit = _int_param(request, "limit", 50, MAX_LIMIT)
            offset = _int_param(request, "offset", 0)
        except NotificationError as exc:
            return _error(exc)
        items = selectors.inbox(request.user)
        if request.query_params.get("unread") in ("1", "true"):
            items = items.filter(read_at__isnull=True)
        page = list(items[offset : offset + limit])
        return Response(
            {
                "count": items.count(),
                "unread": selectors.unread_count(request.user),
                "results": NotificationSerializer(page, many=True).data,
            }
        )


class NotificationRead(_Base):
    """POST: mark one of the caller's notifications read (idempotent); 404 for anyone else's."""

    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        operation_id="notifications_read", request=None, responses={200: NotificationReadOut}, tags=["notifications"]
    )
    @idempotent
    def post(self, request, pk: int):
        try:
            n = services.notification_mark_read(user=request.user, notification_id=pk)
        except NotificationError as exc:
            return _error(exc)
        data = NotificationSerializer(n).data
        data["unread"] = selectors.unread_count(request.user)
        return Response(data, status=status.HTTP_200_OK)
