"""The worker (职工) who brings a problem. Not a login user."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ..history import ActingHistory
from ..validators import (
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_phone,
)

# The identifier (``search.identifier``'s kind, the worker's column) → its lookup hash column.
HASH_FIELDS = {"phone": "phone_hash", "id_number": "id_hash"}


def _normalised(kind: str, value: str) -> str:
    """The value as registration stores it, spaces and dashes ignored; a phone number that
    does not parse (data older than the validators) keeps its compact form."""
    compact = "".join(str(value or "").split()).replace("-", "")
    if kind == "id_number":
        return normalize_id_number(compact)
    try:
        return normalize_phone(compact)
    except ValidationError:
        return compact


def lookup_hash(kind: str, value: str) -> str:
    """The keyed hash the search box finds a worker by (``kind`` "phone" or "id_number"):
    HMAC-SHA256 under ``SEARCH_HASH_KEY`` of the normalised value — the phone in its national
    form (``validators.normalize_phone``), the ID number upper-cased — so ``13900000001``,
    ``139 0000 0001`` and ``+86 139-0000-0001`` hash alike, as do a final ``x`` and ``X``.
    An empty value hashes to ``""`` (never found). Anything that writes workers without
    ``Worker.save`` or the ``Worker.objects`` bulk methods (raw SQL, a generator) must fill
    ``phone_hash`` / ``id_hash`` with this, or run ``manage.py rehash_workers`` after."""
    if kind not in HASH_FIELDS:
        raise ValueError(f"unknown identifier kind: {kind!r}")
    normalised = _normalised(kind, value)
    if not normalised:
        return ""
    key = f"casework.worker-lookup:{settings.SEARCH_HASH_KEY}".encode()
    return hmac.new(key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


def refill_lookup_hashes(model: type[models.Model] | None = None, *, batch_size: int = 1000) -> int:
    """Recompute every worker's ``phone_hash`` and ``id_hash`` under the current key, in
    batches of ``batch_size`` by id, each batch its own transaction with its rows locked (a
    registration changing a phone meanwhile is not overwritten with the old number's hash).
    Returns how many workers' hashes changed. ``model`` is a migration's historical
    ``Worker``; ``rehash_workers`` and migration 0025 call this."""
    model = model or Worker
    changed, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                model.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "phone", "id_number", "phone_hash", "id_hash")[:batch_size]
            )
            if not batch:
                return changed
            stale = []
            for worker in batch:
                hashes = lookup_hash("phone", worker.phone), lookup_hash("id_number", worker.id_number)
                if (worker.phone_hash, worker.id_hash) != hashes:
                    worker.phone_hash, worker.id_hash = hashes
                    stale.append(worker)
            model.objects.bulk_update(stale, ["phone_hash", "id_hash"])
            changed += len(stale)
            last = batch[-1].pk


def _hash_fields(fields: Iterable[str]) -> list[str]:
    return [HASH_FIELDS[f] for f in fields if f in HASH_FIELDS]


class WorkerQuerySet(models.QuerySet):
    """The bulk writes keep the lookup hashes with the identifiers they hash."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for worker in objs:
            worker.fill_lookup_hashes()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        extra = [f for f in _hash_fields(fields) if f not in fields]
        if extra:
            for worker in objs:
                worker.fill_lookup_hashes()
        return super().bulk_update(objs, [*fields, *extra], *args, **kwargs)

    def update(self, **kwargs):
        for kind, column in HASH_FIELDS.items():
            if kind in kwargs and column not in kwargs:
                if not isinstance(kwargs[kind], str):
                    # An expression's value per row is unknown here: hash each row instead.
                    raise TypeError(f"update {kind} with a value, or save the workers, to keep {column}")
                kwargs[column] = lookup_hash(kind, kwargs[kind])
        return super().update(**kwargs)


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
    # Keyed hashes of the phone and ID number (``lookup_hash``): what the search box looks a
    # worker up by, set on every save and bulk write, refilled by ``rehash_workers``.
    # Indexed in ``Meta.indexes``: one btree each (``db_index`` would add a pattern index on
    # PostgreSQL that no lookup of a hash uses).
    phone_hash = models.CharField(_("联系电话查找码"), max_length=64, blank=True, editable=False)
    id_hash = models.CharField(_("身份证号码查找码"), max_length=64, blank=True, editable=False)

    objects = WorkerQuerySet.as_manager()

    # History rows are read by worker (``id``) only; the lookup indexes of the worker table
    # would be written with each row and never used.
    # The lookup hashes are derived from the row and change with the key: not history.
    history = ActingHistory(
        no_db_index=["enterprise", "id_number", "name", "phone"], excluded_fields=["phone_hash", "id_hash"]
    )

    class Meta:
        verbose_name = _("职工")
        verbose_name_plural = _("职工")
        indexes = [
            models.Index(fields=["phone_hash"], name="worker_phone_hash"),
            models.Index(fields=["id_hash"], name="worker_id_hash"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_lookup_hashes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *_hash_fields(update_fields)}
        super().save(*args, **kwargs)

    def fill_lookup_hashes(self) -> None:
        """Set ``phone_hash`` and ``id_hash`` from the phone and ID number."""
        self.phone_hash = lookup_hash("phone", self.phone)
        self.id_hash = lookup_hash("id_number", self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
