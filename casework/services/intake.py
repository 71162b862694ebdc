"""The intake desk's single write: register, keep the files, and link or merge a duplicate."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Case
from ..models.attachment import LinkKind
from . import core
from .actions import case_merge
from .attachments import _remove_on_rollback, _store, case_link, check_files
from .registration import CaseInput, case_register


def intake_register(
    *,
    actor,
    data: CaseInput,
    accept: bool = True,
    files=(),
    repeat_of: Case | None = None,
    merge_into: Case | None = None,
) -> Case:
    """登记受理 at the desk, all or nothing.

    Files are checked before anything is written. ``repeat_of``: the new case is linked as a
    repeat (重复来访) of an earlier one. ``merge_into``: the new case is registered (not
    accepted), linked, and merged into that open case (合并), so no second task is created.
    A failure anywhere rolls back the rows and removes the files already written.
    """
    checked = check_files(files)
    written: list[Path] = []
    try:
        with transaction.atomic():
            case = case_register(actor=actor, data=data, accept=accept and merge_into is None)
            if checked:
                with core.locked_case(case) as c:
                    saved = [_store(c, actor, item, written) for item in checked]
                    names = "、".join(a.name for a in saved)
                    core.record(c, actor=actor, action="attach", reason=_("上传附件：%(names)s") % {"names": names})
            related = merge_into or repeat_of
            if related is not None:
                case_link(case=case, related=related, actor=actor, kind=LinkKind.REPEAT)
            if merge_into is not None:
                case = case_merge(
                    case=case.number, actor=actor, into=merge_into.number, reason=_("登记时发现为重复诉求")
                )
            return Case.objects.get(pk=case.pk)
    except BaseException:
        _remove_on_rollback(written)
        raise
