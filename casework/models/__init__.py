from .attachment import Attachment, CaseLink
from .case import Case, CaseNumberSequence, CaseStage
from .org import OrgUnit, StaffProfile, TwoFactorDevice
from .queue import CaseWatch, ListPage, SavedFilter
from .reference import Category, Channel, ReplyTemplate
from .worker import Worker
from .workflow import CaseProcess

__all__ = [
    "Attachment",
    "Case",
    "CaseLink",
    "CaseNumberSequence",
    "CaseProcess",
    "CaseStage",
    "CaseWatch",
    "Category",
    "Channel",
    "ListPage",
    "OrgUnit",
    "SavedFilter",
    "ReplyTemplate",
    "StaffProfile",
    "TwoFactorDevice",
    "Worker",
]
