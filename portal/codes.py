"""Query codes (查询码) and one-time SMS codes: made with ``secrets``, stored as keyed hashes.

A query code is 8 characters of a 31-letter alphabet without look-alikes (0/O, 1/I/L):
31⁸ ≈ 8.5 × 10¹¹ values, behind a lock after ``MAX_FAILURES`` wrong tries and the
per-address limits, so guessing one is out of reach. A keyed HMAC (not a slow password
hash) is enough for a random code of that size; the key is ``SECRET_KEY``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 8
SMS_CODE_LENGTH = 6
MAX_FAILURES = 5  # wrong codes in a row before the lock


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def new_sms_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(SMS_CODE_LENGTH))


def normalize(code: str) -> str:
    """What the worker typed: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in str(code or "") if ch.isalnum()).upper()[:32]


def digest(purpose: str, code: str) -> str:
    key = f"portal:{purpose}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalize(code).encode(), hashlib.sha256).hexdigest()


def matches(purpose: str, code: str, stored: str) -> bool:
    return bool(stored) and hmac.compare_digest(digest(purpose, code), stored)


def display(code: str) -> str:
    """``ABCD-EFGH``: easier to read out and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == QUERY_CODE_LENGTH else code


def rater_key(worker_id: int) -> str:
    """会员评家: one rating per member and union a year, without keeping who."""
    return digest("rater", str(worker_id))
