"""The workflow's process row for a case (one per round; a reopen after closing starts a new round)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class CaseProcess(Process):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="processes")

    class Meta:
        verbose_name = _("案件流程")
        verbose_name_plural = _("案件流程")
