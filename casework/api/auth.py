"""Token authentication (``Authorization: Token <key>``) with Chinese messages.

Keys are checked for shape before the database is asked, so a header full of odd
bytes is a 401, never a database error.
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

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
        return (token.user, token)
