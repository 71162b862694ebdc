from django.utils.translation import gettext_lazy as _


class NotificationError(Exception):
    """An error a user can hit, with a Chinese message and an HTTP status for the API."""

    def __init__(self, message=None, *, status: int = 400):
        self.message = message or _("请求无效。")
        self.status = status
        super().__init__(str(self.message))
