"""A staff member's own ways into the lists: cases they watch (我关注的) and saved filters.

Neither grants anything: a watched case or a saved filter only ever re-runs the normal
scoped query (``selectors.visible_cases``), so a case the user may no longer see drops out.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseWatch(models.Model):
    """关注: one user follows one case (a personal list, no notifications of its own)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="case_watches"
    )
    case = models.ForeignKey("casework.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("关注时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关注的案件")
        verbose_name_plural = _("关注的案件")
        constraints = [models.UniqueConstraint(fields=["user", "case"], name="casewatch_user_case")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id}"


class ListPage(models.TextChoices):
    CASES = "list", _("案件查询")
    INBOX = "inbox", _("待办任务")
    QUEUE = "queue", _("单位待认领")
    ARCHIVE = "archive", _("已办任务")


SAVED_QUERY_MAX = 500


class SavedFilter(models.Model):
    """常用筛选: a list page's query string saved under a name, for its user only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="saved_filters"
    )
    page = models.CharField(_("列表"), max_length=10, choices=ListPage.choices)
    name = models.CharField(_("名称"), max_length=40)
    query = models.CharField(_("筛选条件"), max_length=SAVED_QUERY_MAX, blank=True)
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常用筛选")
        verbose_name_plural = _("常用筛选")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"], name="savedfilter_user_page_name")]

    def __str__(self) -> str:
        return self.name
