"""Token authentication (``Authorization: Token <key>``) with Chinese messages.

Keys are checked for shape before the database is asked, so a header full of odd
bytes is a 401, never a database error.

A token lives ``API_TOKEN_TTL_DAYS`` (30) from its issue (``Token.created``); the token
endpoint issues a new one once it has expired. It dies at once with a password change or
a deactivation (``revoke_on_credential_change``, a ``pre_save`` receiver on the user) and
with ``DELETE /auth/token/``. A user of a ``TOTP_REQUIRED_ROLES`` role without a confirmed
device is refused (``config.twofactor``).
"""

import datetime as dt
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from config.twofactor import confirmed_totp, totp_required

from ..clock import now

_KEY_RE = re.compile(r"^[0-9a-f]{40}$")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        auth = authentication.get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("认证信息格式不正确，应为“Token <令牌>”。"))
        try:
            key = auth[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        if not _KEY_RE.match(key):
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        model = self.get_model()
        # The staff profile and its unit come in the same query: every API view reads
        # them (``rules.profile``), and that would be two more round trips per request.
        token = model.objects.select_related("user", "user__staff__unit").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("用户已停用或已删除。"))
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新申请。"))
        if totp_required(token.user) and confirmed_totp(token.user) is None:
            raise exceptions.AuthenticationFailed(_("该账号须先启用两步验证：请在网页登录后按提示绑定验证器。"))
        return (token.user, token)


def token_ttl() -> dt.timedelta:
    return dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_expires_at(token) -> dt.datetime:
    return token.created + token_ttl()


def token_expired(token) -> bool:
    return now() >= token_expires_at(token)


def revoke_on_credential_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """``pre_save`` on the user model: a new password or a deactivation deletes the user's
    API tokens, in the transaction that saves the user.

    One read of the stored row, only when the save may touch the password or the active
    flag (a login's ``last_login`` update names its field and costs nothing).
    """
    if raw or instance.pk is None:
        return
    if update_fields is not None and not ({"password", "is_active"} & set(update_fields)):
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if stored["password"] != instance.password or (stored["is_active"] and not instance.is_active):
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user_id=instance.pk).delete()
