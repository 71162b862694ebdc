"""The access-log hook: casework announces unmasked views, reports records them."""

from __future__ import annotations


def on_personal_data_viewed(sender, *, case, user, kind: str = "case_page", ip: str | None = None, **kwargs) -> None:
    from .services import access_log_record

    access_log_record(case=case, user=user, kind=kind, ip=ip)


def connect() -> None:
    from casework import signals

    hook = getattr(signals, "personal_data_viewed", None)
    if hook is not None:
        hook.connect(on_personal_data_viewed, dispatch_uid="reports.access_log")
