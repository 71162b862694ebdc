"""Delivery settings: a Django setting of that name wins, else the environment variable
of that name (``NOTIFICATIONS_SMS_URL=https://... NOTIFICATIONS_SMS_KEY=...``), else the default.
"""

import os

from django.conf import settings

DEFAULTS = {
    "NOTIFICATIONS_MAX_ATTEMPTS": 8,  # then the row is marked failed and shown to admins
    "NOTIFICATIONS_BACKOFF_BASE": 30,  # seconds before the 2nd attempt; doubles each time
    "NOTIFICATIONS_BACKOFF_CEILING": 3600,  # never wait longer than this between attempts
    "NOTIFICATIONS_LEASE_SECONDS": 300,  # a claimed row is another worker's again after this
    "NOTIFICATIONS_BATCH_SIZE": 200,
    "NOTIFICATIONS_RECORD_EVERY": 20,  # sends whose results are committed together
    "NOTIFICATIONS_HTTP_TIMEOUT": 10,
    "NOTIFICATIONS_SMS_BACKEND": "console",  # console | file | http | locmem | dotted path
    "NOTIFICATIONS_SMS_URL": "",
    "NOTIFICATIONS_SMS_KEY": "",
    "NOTIFICATIONS_SMS_FILE": "",
    "NOTIFICATIONS_SMS_SIGNATURE": "【职工诉求】",
    "NOTIFICATIONS_SITE_URL": "",  # e.g. https://casework.example.cn, for links in e-mails
}


def get(name: str):
    if hasattr(settings, name):
        return getattr(settings, name)
    default = DEFAULTS[name]
    raw = os.environ.get(name)
    if raw is None:
        return default
    return type(default)(raw) if isinstance(default, int) else raw
