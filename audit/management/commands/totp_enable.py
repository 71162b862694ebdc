"""Enable TOTP two-factor login for one supervisor or admin (prints the otpauth:// URI)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from config.twofactor import may_enrol, revoke_api_tokens


class Command(BaseCommand):
    help = "Enable TOTP for a supervisor or admin; --disable removes it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--disable", action="store_true")

    def handle(self, *args, username, disable=False, **options):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("没有用户 %(name)s。") % {"name": username})
        if disable:
            TOTPDevice.objects.filter(user=user).delete()
            self.stdout.write(_("已停用 %(name)s 的两步验证。") % {"name": username})
            return
        if not may_enrol(user):
            raise CommandError(_("两步验证仅供督导检查组和系统管理员使用。"))
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
            revoke_api_tokens(user)  # issued on the password alone
        self.stdout.write(device.config_url)
