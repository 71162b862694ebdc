"""The one mask of a phone number: ``139****5678``.

Used by the SMS gateways' log lines and, re-exported as ``casework.validators.mask_phone``,
by every page, list, export and API that shows a worker's or contact's phone masked. It
lives here, at the bottom of the dependency order (``casework → notifications``), so that
both can use it without notifications importing casework.
"""


def mask_phone(value: str | None) -> str:
    """The first three and last four digits kept (a number of up to 7 characters keeps its
    first two); empty for an empty value."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:2] + "*" * (len(value) - 2)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
