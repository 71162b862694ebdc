"""The workflow's process row for a case (one per round; a reopen after closing starts a new round)."""

from django.db import models
from viewflow.workflow.models import Process


class CaseProcess(Process):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="processes")

    class Meta:
        verbose_name = "case process"
