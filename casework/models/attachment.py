"""Files brought by the worker (photos, PDFs, scans) and links between related cases."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """One file kept with a case.

    The file lives under ``CASEWORK_ATTACHMENT_ROOT`` (outside any public media URL) and is
    served only by ``casework:attachment``, which checks that the case is visible to the user.
    ``name`` is the sanitised original file name; ``stored_name`` is a random name on disk.
    """

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=150)
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class LinkKind(models.TextChoices):
    REPEAT = "repeat", _("重复来访")
    RELATED = "related", _("相关案件")


class CaseLink(models.Model):
    """``case`` was registered as a repeat of (or is related to) ``related``."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="links_out")
    related = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("关联类型"), max_length=20, choices=LinkKind.choices, default=LinkKind.REPEAT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("关联时间"))

    class Meta:
        verbose_name = _("关联案件")
        verbose_name_plural = _("关联案件")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "related"], name="caselink_unique_pair")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.related_id}"
