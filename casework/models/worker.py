"""The worker (职工) who brings a problem. Not a login user."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..history import ActingHistory
from ..validators import mask_id_number, mask_phone, validate_id_number, validate_phone


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
    UNKNOWN = "unknown", _("未说明")


class Worker(models.Model):
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_month = models.CharField(_("出生年月"), max_length=7, blank=True, help_text=_("格式：YYYY-MM"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone], db_index=True)
    id_number = models.CharField(
        _("身份证号码"), max_length=18, blank=True, validators=[validate_id_number], db_index=True
    )
    hukou = models.CharField(_("户籍所在地"), max_length=100, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    education = models.CharField(_("文化程度"), max_length=20, blank=True)
    post = models.CharField(_("工作岗位"), max_length=100, blank=True)
    technical_title = models.CharField(_("技术职称"), max_length=50, blank=True)
    migrant = models.BooleanField(_("农民工"), default=False)
    dispatched = models.BooleanField(_("劳务派遣工"), default=False)
    enterprise = models.ForeignKey(
        "casework.OrgUnit",
        verbose_name=_("所在企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
    )
    province = models.CharField(_("省"), max_length=30, blank=True)
    city = models.CharField(_("市"), max_length=30, blank=True)
    county = models.CharField(_("区县"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # History rows are read by worker (``id``) only; the lookup indexes of the worker table
    # would be written with each row and never used.
    history = ActingHistory(no_db_index=["enterprise", "id_number", "name", "phone"])

    class Meta:
        verbose_name = _("职工")
        verbose_name_plural = _("职工")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
