"""What the worker portal stores: submissions before they are cases, one-time codes,
publication consent (公示) and 会员评家 ratings.

Query codes and SMS codes are stored only as keyed hashes (``portal.codes``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.validators import validate_id_number, validate_phone


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class Submission(models.Model):
    """A problem a worker submitted online (网上职工心声). Not a case until a desk officer of
    the enterprise's county federation accepts it (then ``case``) or declines it with guidance."""

    reference = models.CharField(_("提交编号"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    county = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("所在企业"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey("casework.Category", verbose_name=_("诉求类别"), on_delete=models.PROTECT)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, validators=[validate_phone], db_index=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, validators=[validate_id_number])
    summary = models.TextField(_("反映问题"), max_length=4000)
    request = models.TextField(_("职工诉求"), max_length=2000)
    workers_involved = models.PositiveIntegerField(
        _("涉及人数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    consent = models.BooleanField(_("同意个人信息处理"), default=False)
    anonymous_to_enterprise = models.BooleanField(_("对企业匿名"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    case = models.OneToOneField(
        "casework.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_submission",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    guidance = models.TextField(_("告知与指引"), blank=True)
    # The query code (查询码): its keyed hash, and the lock after repeated wrong codes.
    code_hash = models.CharField(max_length=64)
    code_failures = models.PositiveSmallIntegerField(default=0)
    code_locked_until = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["code_hash", "code_failures", "code_locked_until"])

    class Meta:
        verbose_name = _("网上诉求提交")
        verbose_name_plural = _("网上诉求提交")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["county", "status", "submitted_at"], name="portal_sub_queue")]

    def __str__(self) -> str:
        return self.reference


class SubmissionFile(models.Model):
    """A file sent with a submission, kept outside any URL until the case takes it over."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    stored = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("提交附件")
        verbose_name_plural = _("提交附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PhoneCode(models.Model):
    """A one-time SMS code (短信验证码) for following one's cases by phone number."""

    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone", "created_at"], name="portal_code_phone")]

    def __str__(self) -> str:
        return f"{self.phone[:3]}**** {self.created_at:%Y-%m-%d %H:%M}"


class ConsentMethod(models.TextChoices):
    PORTAL = "portal", _("职工本人网上确认")
    IN_PERSON = "in_person", _("当面确认")
    PHONE = "phone", _("电话确认")
    LETTER = "letter", _("书面确认")


class PublicationConsent(models.Model):
    """The worker's word on 公示: agreed or refused, when, how, and who recorded it.
    The public board shows a case only while ``agreed`` (reports.selectors.board)."""

    case = models.OneToOneField(
        "casework.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="publication_consent"
    )
    agreed = models.BooleanField(_("同意公示"))
    decided_at = models.DateTimeField(_("确认时间"))
    method = models.CharField(_("确认方式"), max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示意见")
        verbose_name_plural = _("公示意见")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.agreed}"


class RatingQuestion(models.TextChoices):
    CONTACT = "contact", _("联系服务职工（倾听诉求是否主动、及时）")
    RIGHTS = "rights", _("维护职工权益（是否尽心尽力）")
    EFFICIENCY = "efficiency", _("办事效率（是否按期办结、及时告知）")
    CONDUCT = "conduct", _("工作作风（是否公开、公正、热情）")


class UnionRating(models.Model):
    """会员评家: a member rates a union once a year (1–5 per question). The rater is kept only as
    a keyed hash of the worker (one rating per union and year), never the name."""

    year = models.PositiveSmallIntegerField(_("年度"))
    union = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("被评工会"), on_delete=models.PROTECT, related_name="+"
    )
    rater = models.CharField(max_length=64)
    contact = models.PositiveSmallIntegerField(
        RatingQuestion.CONTACT.label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rights = models.PositiveSmallIntegerField(
        RatingQuestion.RIGHTS.label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    efficiency = models.PositiveSmallIntegerField(
        RatingQuestion.EFFICIENCY.label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    conduct = models.PositiveSmallIntegerField(
        RatingQuestion.CONDUCT.label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("意见建议"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("会员评家")
        verbose_name_plural = _("会员评家")
        constraints = [models.UniqueConstraint(fields=["year", "union", "rater"], name="portal_rating_once_a_year")]
        indexes = [models.Index(fields=["union", "year"], name="portal_rating_union")]

    def __str__(self) -> str:
        return f"{self.union_id} {self.year}"


class SubmissionAccessLog(models.Model):
    """One view of a submission's unmasked phone and ID number by a desk officer (个人信息查看记录).

    Append-only; written when the desk page is a logged unmask (``casework.privacy.reveal``).
    A pending submission has no case yet, so these rows live here.
    """

    submission = models.ForeignKey(
        Submission, verbose_name=_("网上提交"), on_delete=models.CASCADE, related_name="access_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("查看时间"), db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("网上提交个人信息查看记录")
        verbose_name_plural = _("网上提交个人信息查看记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.user_id} {self.at}"
