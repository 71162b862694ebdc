"""Every write to a case goes through these functions (house rule 1)."""

from .actions import (
    case_close,
    case_escalate,
    case_follow_up,
    case_merge,
    case_reopen,
    case_reply,
    case_resolve,
    case_withdraw,
)
from .attachments import attachment_add, case_link, check_files, write_file
from .core import locked_case, require, require_text
from .core import record as record_change
from .intake import intake_register
from .ownership import (
    case_add_note,
    case_flag_systemic,
    case_handover,
    case_inform_worker,
    case_take_charge,
    task_assign,
    task_claim,
    task_release,
)
from .registration import CaseInput, case_accept, case_not_accept, case_register
from .workflow import require_task_holder

__all__ = [
    "CaseInput",
    "attachment_add",
    "case_accept",
    "case_add_note",
    "case_close",
    "case_escalate",
    "case_flag_systemic",
    "case_follow_up",
    "case_handover",
    "case_inform_worker",
    "case_link",
    "case_merge",
    "case_not_accept",
    "case_register",
    "case_reopen",
    "case_reply",
    "case_resolve",
    "case_take_charge",
    "case_withdraw",
    "check_files",
    "intake_register",
    "locked_case",
    "record_change",
    "require",
    "require_task_holder",
    "require_text",
    "task_assign",
    "task_claim",
    "task_release",
    "write_file",
]
