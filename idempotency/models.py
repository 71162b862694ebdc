"""Idempotency keys of the API's POSTs: the first answer to a key, kept for a day."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` a user sent with a POST under ``/api/v1/``, and the answer.

    Written in the same transaction as the write the request made, so a key is stored if and
    only if its write committed; a retry with the key gets this answer instead of a second
    write. Purged after ``API_IDEMPOTENCY_TTL_HOURS`` (``services.idempotency_keys_purge``, hourly).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("幂等键"), max_length=100)
    fingerprint = models.CharField(_("请求摘要"), max_length=64, help_text=_("方法、路径与请求体的 SHA-256"))
    status = models.PositiveSmallIntegerField(_("响应状态码"))
    body = models.JSONField(_("响应内容"), encoder=DjangoJSONEncoder, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), db_index=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
