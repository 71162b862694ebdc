"""The channels a notification goes out on: a module of its own so that the event registry
(``events``) and the models both use it without importing each other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelCode(models.TextChoices):
    IN_APP = "inapp", _("站内通知")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WEBHOOK = "webhook", _("Webhook 推送")
