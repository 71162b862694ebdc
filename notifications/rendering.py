"""Texts per event and channel, from Django templates in Chinese.

``notifications/<event>/inapp.txt``: first line the title, the rest the body (also used
for e-mail, with ``notifications/_email_footer.txt`` appended, unless ``email.txt``
exists). ``notifications/<event>/sms.txt``: one short text. Missing templates fall back to
``notifications/_default/``. Templates are rendered as plain text (no HTML escaping) in
the site language, whatever language the calling request uses.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.template import Context
from django.template.loader import select_template
from django.utils import translation

from . import conf

SMS_SEGMENT = 70  # characters in one UCS-2 (Chinese) SMS segment
SMS_MULTIPART_SEGMENT = 67  # per segment once a text needs several
# 18-digit resident ID numbers (last may be X) and the old 15-digit ones.
ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8,11}([\dXx])(?![\dXx])")


def _render(names: list[str], context: dict) -> tuple[str, str]:
    """Render the first template of ``names`` that exists: ``(its name, the text)``."""
    selected = select_template(names)
    with translation.override(settings.LANGUAGE_CODE):
        # The engine's own Template, so that a plain-text message is not HTML-escaped.
        text = selected.template.render(Context(context, autoescape=False))
    return selected.origin.template_name, text


def render_message(event: str, channel: str, context: dict) -> tuple[str, str]:
    """``(subject, body)`` of ``event`` on ``channel``."""
    if channel == "sms":
        _, text = _render([f"notifications/{event}/sms.txt", "notifications/_default/sms.txt"], context)
        return "", sms_text(text)
    names = [f"notifications/{event}/inapp.txt", "notifications/_default/inapp.txt"]
    if channel == "email":
        names.insert(0, f"notifications/{event}/email.txt")
    name, text = _render(names, context)
    subject, _, body = text.strip().partition("\n")
    body = re.sub(r"\n{3,}", "\n\n", body.strip())
    if channel == "email" and not name.endswith("email.txt"):
        site = conf.get("NOTIFICATIONS_SITE_URL").rstrip("/")
        context = {**context, "site_url": f"{site}{context['url']}" if site and context.get("url") else ""}
        body += "\n\n" + _render(["notifications/_email_footer.txt"], context)[1].strip()
    return " ".join(subject.split())[:200], body


def sms_text(text: str) -> str:
    """One line with the signature, and never an ID number (masked if a caller passed one)."""
    text = " ".join(text.split())
    text = ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    signature = conf.get("NOTIFICATIONS_SMS_SIGNATURE")
    return text if text.startswith(signature) else signature + text


def sms_segments(text: str) -> int:
    if len(text) <= SMS_SEGMENT:
        return 1
    return -(-len(text) // SMS_MULTIPART_SEGMENT)
