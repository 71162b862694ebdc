"""Every write of the worker portal (house rule 1). The worker is never a staff user: acts on
cases go through casework's services as the portal actor (``portal.actor``)."""

from .access import Grant, open_by_code, open_by_phone, phone_code_send
from .consent import publication_consent_set
from .ratings import union_rating_submit
from .submissions import (
    SubmissionInput,
    submission_accept,
    submission_create,
    submission_decline,
    submission_withdraw,
)
from .worker import worker_follow_up, worker_reopen, worker_withdraw

__all__ = [
    "Grant",
    "SubmissionInput",
    "open_by_code",
    "open_by_phone",
    "phone_code_send",
    "publication_consent_set",
    "submission_accept",
    "submission_create",
    "submission_decline",
    "submission_withdraw",
    "union_rating_submit",
    "worker_follow_up",
    "worker_reopen",
    "worker_withdraw",
]
