"""The outbox: one row per (event key, recipient, channel), and every delivery attempt.

A row is written in the caller's transaction (so a rollback leaves nothing behind) and
delivered after commit by ``notifications.delivery``. The unique constraint on
(key, recipient, channel) is the idempotency key: the same event announced twice
queues one row, and a row is marked sent once.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import ChannelCode
from .events import label


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class WebhookEndpoint(models.Model):
    """An outgoing webhook (e.g. the 12351 hotline or a province platform), set up in admin."""

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(
        _("签名密钥"),
        max_length=200,
        help_text=_("用于 HMAC SHA-256 签名（请求头 <code>X-Casework-Signature</code>）。"),
    )
    events = models.CharField(
        _("订阅事件"), max_length=1000, blank=True, help_text=_("以逗号分隔的事件代码；留空表示订阅全部案件事件。")
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook 接收端")
        verbose_name_plural = _("Webhook 接收端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def subscribes(self, event: str) -> bool:
        codes = {c.strip() for c in self.events.split(",") if c.strip()}
        return not codes or event in codes


class ChannelPreference(models.Model):
    """A user's channels for one non-mandatory event (mandatory events ignore it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("事件"), max_length=50)
    channels = models.JSONField(_("通知方式"), default=list, blank=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notif_pref_user_event")]

    def __str__(self) -> str:
        return f"{self.user} {label(self.event)}"


class Notification(models.Model):
    """One message to one recipient on one channel (an outbox row)."""

    key = models.CharField(_("事件键"), max_length=150)
    recipient = models.CharField(
        _("接收方"), max_length=200, help_text=_("user:ID、sms:手机号、email:地址或 webhook:ID")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=ChannelCode.choices)
    event = models.CharField(_("事件"), max_length=50)
    # No index of their own: ``notif_user_list`` / ``notif_user_unread`` begin with the user,
    # and ``notif_endpoint`` holds only the webhook rows (see Meta).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("Webhook 接收端"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_index=False,
    )
    address = models.CharField(_("地址"), max_length=254, blank=True)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    payload = models.JSONField(_("推送数据"), null=True, blank=True)

    status = models.CharField(
        _("发送状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    locked_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    claim_token = models.CharField(_("发送占用标记"), max_length=32, blank=True, default="")
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient", "channel"], name="notif_idempotency"),
        ]
        # The outbox takes several rows per recorded change (a deadline breach: the owner, the
        # unit's officers, the supervisors), so every index here is paid on each of them: an
        # index serves a query that needs it, and a partial one holds only the rows it finds.
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_due"),
            # A claim's token is set only while a delivery holds the row.
            models.Index(fields=["claim_token"], name="notif_claim", condition=~models.Q(claim_token="")),
            models.Index(fields=["user", "channel", "-created_at"], name="notif_user_list"),
            models.Index(fields=["user", "channel", "read_at"], name="notif_user_unread"),
            # Deleting an endpoint finds its rows; SMS rows for the demo's SMS log (newest first).
            models.Index(fields=["endpoint"], name="notif_endpoint", condition=models.Q(endpoint__isnull=False)),
            models.Index(fields=["-created_at"], name="notif_sms_recent", condition=models.Q(channel="sms")),
        ]

    def __str__(self) -> str:
        return f"{label(self.event)}（{self.get_channel_display()}）"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryAttempt(models.Model):
    """One try to deliver a notification: when, whether it worked, and the error."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(_("时间"))
    ok = models.BooleanField(_("成功"))
    error = models.TextField(_("错误"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'error'}"
