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


class ReplyTemplate(models.Model):
    """常用答复语: a text an officer picks to start the 答复 with (what the worker is told, and
    so the 答复意见书), kept by the admins. Without a category it is offered for every one."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("诉求类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reply_templates",
        help_text=_("留空表示适用于所有类别。"),
    )
    title = models.CharField(_("标题"), max_length=60)
    text = models.TextField(_("答复语"), help_text=_("选用后填入答复内容，办理人员可再修改。"))
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("常用答复语")
        verbose_name_plural = _("常用答复语")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "title"], name="reply_template_category_title"),
        ]

    def __str__(self) -> str:
        return self.title
