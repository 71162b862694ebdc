"""Reference data: categories of problems and intake channels (seeded, editable in admin)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReferenceItem(models.Model):
    """A coded, ordered, switchable entry of a reference list."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Category(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")


class Channel(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("受理渠道")
        verbose_name_plural = _("受理渠道")
