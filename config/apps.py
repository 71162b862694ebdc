from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class AdminConfig(DjangoAdminConfig):
    """``django.contrib.admin`` with the project's site (``config.admin.AdminSite``)."""

    default_site = "config.admin.AdminSite"

    def ready(self):
        super().ready()  # autodiscover: every app's admin module, django-axes' and django-otp's too
        from django.contrib import admin

        from .vendor_admin import register

        register(admin.site)


# Third-party apps under Chinese names in the admin (their labels, and so their tables and
# migrations, stay theirs): Django names an app without ``verbose_name`` after its label
# ("Axes", "Otp_Totp", "Django_Otp").


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录防护")


class OTPConfig(AppConfig):
    name = "django_otp"
    verbose_name = _("两步验证")


class TOTPConfig(TOTPDefaultConfig):
    verbose_name = _("两步验证设备")


class CaptchaConfig(AppConfig):
    name = "captcha"
    verbose_name = _("图形验证码")
