"""Every write of the time-limit engine (house rule 1)."""

from .clocks import clock_pause, clock_resume, extension_approve, extension_request
from .supervision import case_supervise, case_urge

__all__ = [
    "case_supervise",
    "case_urge",
    "clock_pause",
    "clock_resume",
    "extension_approve",
    "extension_request",
]
