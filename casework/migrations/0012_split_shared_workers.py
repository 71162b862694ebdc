# Each case owns the worker record told at its intake (issue #21: a registration in one
# county could overwrite a worker record another county's cases showed).

from django.db import migrations
from django.db.models import Count
from django.utils import timezone

SPLIT_ACTION = "worker_split"
SPLIT_REASON = "职工信息改为本案独立记录（多案共用的职工记录已拆分）"


def split_shared_workers(apps, schema_editor):
    """Every case but the first of a shared worker gets its own copy of the worker record,
    with a history row for the copy and one for the case (chained like any other)."""
    Worker = apps.get_model("casework", "Worker")
    HistoricalWorker = apps.get_model("casework", "HistoricalWorker")
    Case = apps.get_model("casework", "Case")
    HistoricalCase = apps.get_model("casework", "HistoricalCase")
    AuditLink = apps.get_model("audit", "AuditLink")
    from audit.chain import append

    shared = Worker.objects.annotate(n=Count("cases")).filter(n__gt=1).values_list("pk", flat=True)
    worker_fields = [f.attname for f in Worker._meta.concrete_fields if not f.primary_key]
    case_fields = [f.attname for f in HistoricalCase._meta.concrete_fields if not f.name.startswith("history_")]
    for worker_id in list(shared):
        original = Worker.objects.get(pk=worker_id)
        for case in Case.objects.filter(worker_id=worker_id).order_by("pk")[1:]:
            now = timezone.now()
            copy = Worker.objects.create(**{name: getattr(original, name) for name in worker_fields})
            HistoricalWorker.objects.create(
                history_date=now, history_type="+", history_change_reason=SPLIT_REASON,
                **{f.attname: getattr(copy, f.attname) for f in Worker._meta.concrete_fields},
            )  # fmt: skip
            case.worker_id = copy.pk
            case.version += 1
            case.last_action = SPLIT_ACTION
            case.prev_status = case.status
            case.save(update_fields=["worker", "version", "last_action", "prev_status"])
            row = HistoricalCase.objects.create(
                history_date=now, history_type="~", history_change_reason=SPLIT_REASON,
                **{name: getattr(case, name) for name in case_fields},
            )  # fmt: skip
            append(row.history_id, model=HistoricalCase, link_model=AuditLink)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0011_history_indexes"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(split_shared_workers, migrations.RunPython.noop)]
