"""The project's URLs plus views that fail on purpose (tests of handler500)."""

from django.db import OperationalError
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.urls import handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("secret-detail-in-traceback")


def boom_db(request):
    raise OperationalError("connection refused: secret-detail")


class ApiBoom(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request):
        raise RuntimeError("secret-detail-in-traceback")


class ApiBoomDb(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request):
        raise OperationalError("server closed the connection unexpectedly: secret-detail")


urlpatterns = [
    path("boom/", boom),
    path("boom-db/", boom_db),
    path("api/v1/boom/", ApiBoom.as_view()),
    path("api/v1/boom-db/", ApiBoomDb.as_view()),
    *urlpatterns,
]
