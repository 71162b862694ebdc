"""Pages: the campaign list, a campaign with its cadres' progress, groups and what they file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.clock import now
from casework.models.org import UnitKind
from visits.models import Visit, WorkGroup

from .. import forms, rules, selectors, services
from ..overdue import overdue_contacts
from .common import form_page, manager_unit

TARGET_FIELDS = ("days_cadre", "days_leader", "enterprises", "workers", "logs", "reports", "typicals")


@login_required
def campaign_list(request):
    context = {
        "title": _("双走双促活动"),
        "campaigns": selectors.campaign_list(request.user),
        "can_create": manager_unit(request.user) is not None,
    }
    return render(request, "campaign/list.html", context)


def _campaign_input(d) -> services.CampaignInput:
    return services.CampaignInput(**d)


@login_required
def campaign_create(request):
    unit = manager_unit(request.user)
    if unit is None:
        raise PermissionDenied
    today = timezone.localdate(now())
    initial = {
        "period_start": today.replace(month=1, day=1),
        "period_end": today.replace(month=12, day=31),
        **{f: services.CampaignInput.__dataclass_fields__[f].default for f in TARGET_FIELDS},
    }
    form = forms.CampaignForm(request.POST or None, unit=unit, initial=initial)

    def save(d):
        campaign = services.campaign_create(actor=request.user, unit=unit, data=_campaign_input(d))
        return _("已开展活动：%(name)s") % {"name": campaign.name}, redirect("campaign:detail", pk=campaign.pk)

    return form_page(request, form, {"title": _("开展双走双促活动")}, save)


@login_required
def campaign_edit(request, pk: int):
    campaign = selectors.get_visible_campaign(request.user, pk)
    if not rules.can_manage(request.user, campaign):
        raise PermissionDenied
    initial = {f: getattr(campaign, f) for f in ("name", "period_start", "period_end", *TARGET_FIELDS)}
    initial["units"] = list(campaign.units.all())
    form = forms.CampaignForm(request.POST or None, unit=campaign.unit, initial=initial)

    def save(d):
        services.campaign_update(actor=request.user, campaign=campaign, data=_campaign_input(d))
        return _("已保存活动与目标。"), redirect("campaign:detail", pk=campaign.pk)

    return form_page(request, form, {"title": _("活动与目标") + " · " + campaign.name, "back": campaign}, save)


@login_required
def campaign_detail(request, pk: int):
    """The campaign page: targets, each cadre's progress (shortfalls in red), groups, contact
    points (overdue ones in red) and the 联系户 count."""
    campaign = selectors.get_visible_campaign(request.user, pk)
    groups = selectors.campaign_groups(campaign)
    today = timezone.localdate(now())
    overdue = [o for o in overdue_contacts([campaign.unit_id], today) if o.campaign_id == campaign.pk]
    overdue_points = {o.name for o in overdue if o.kind == "point"}
    points = list(campaign.contact_points.select_related("place", "unit", "cadre").order_by("place__path"))
    context = {
        "title": campaign.name,
        "campaign": campaign,
        "groups": groups,
        "progress": selectors.cadre_progress(campaign, groups),
        "points": [(p, p.place.name in overdue_points) for p in points],
        "overdue_families": [o for o in overdue if o.kind == "family"],
        "n_families": campaign.families.count(),
        "can_manage": rules.can_manage(request.user, campaign),
        "can_keep_families": rules.can_keep_families(request.user, campaign, groups),
    }
    return render(request, "campaign/detail.html", context)


@login_required
def cadre_create(request, pk: int):
    campaign = selectors.get_visible_campaign(request.user, pk)
    if not rules.can_manage(request.user, campaign):
        raise PermissionDenied
    form = forms.CadreForm(request.POST or None, unit=campaign.unit)

    def save(d):
        cadre = services.cadre_create(actor=request.user, campaign=campaign, **d)
        return _("已登记参与干部：%(name)s") % {"name": cadre.name}, redirect("campaign:detail", pk=campaign.pk)

    return form_page(request, form, {"title": _("登记参与干部"), "back": campaign}, save)


@login_required
@require_POST
def cadres_from_staff(request, pk: int):
    """Staff of the campaign's unit (not its enterprises) become selectable cadres."""
    from django.contrib.auth import get_user_model

    campaign = selectors.get_visible_campaign(request.user, pk)
    if not rules.can_manage(request.user, campaign):
        raise PermissionDenied
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff__unit__path__startswith=campaign.unit.path, cadre__isnull=True)
        .exclude(staff__unit__kind__in=[UnitKind.ENTERPRISE, UnitKind.ENTERPRISE_UNION])
    )
    n = 0
    for user in users[:500]:
        services.cadre_for_user(actor=request.user, user=user)
        n += 1
    messages.success(request, _("已将 %(n)d 名工作人员登记为参与干部。") % {"n": n})
    return redirect("campaign:detail", pk=campaign.pk)


def _group_form(request, campaign, initial=None):
    work_groups = WorkGroup.objects.filter(unit__path__startswith=campaign.unit.path, active=True).order_by("name")
    return forms.GroupForm(
        request.POST or None,
        initial=initial,
        cadres=selectors.campaign_cadres(campaign).order_by("unit__path", "name"),
        work_groups=work_groups,
    )


@login_required
def group_create(request, pk: int):
    campaign = selectors.get_visible_campaign(request.user, pk)
    if not rules.can_manage(request.user, campaign):
        raise PermissionDenied
    form = _group_form(request, campaign)

    def save(d):
        group = services.group_create(actor=request.user, campaign=campaign, **d)
        return _("已成立工作组：%(name)s") % {"name": group.name}, redirect("campaign:group", pk=group.pk)

    return form_page(request, form, {"title": _("成立活动工作组"), "back": campaign}, save)


@login_required
def group_edit(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    campaign = group.campaign
    if not rules.can_manage(request.user, campaign):
        raise PermissionDenied
    initial = {
        "name": group.name,
        "leader": group.leader,
        "members": list(group.members.all()),
        "work_group": group.work_group,
    }
    form = _group_form(request, campaign, initial=initial)

    def save(d):
        services.group_update(actor=request.user, group=group, **d)
        return _("已保存工作组。"), redirect("campaign:group", pk=group.pk)

    return form_page(request, form, {"title": _("修改工作组"), "back_group": group}, save)


@login_required
def group_detail(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    context = {
        "title": group.name,
        "group": group,
        "campaign": group.campaign,
        "members": list(group.members.all()),
        "days": selectors.group_days(group),
        "logs": selectors.group_logs(group),
        "reports": selectors.group_reports(group),
        "typicals": selectors.group_typicals(group),
        "can_record": rules.can_record(group, request.user),
        "can_manage": rules.can_manage(request.user, group.campaign),
    }
    return render(request, "campaign/group.html", context)


def _cadres(group):
    from ..models import Cadre

    return Cadre.objects.filter(pk__in=[group.leader_id, *(m.pk for m in group.members.all())]).select_related("unit")


def _recording(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    if not rules.can_record(group, request.user):
        raise PermissionDenied
    return group


@login_required
def participation_create(request, pk: int):
    group = _recording(request, pk)
    visits = Visit.objects.filter(group=group.work_group_id).select_related("enterprise").order_by("-visited_on")
    form = forms.ParticipationForm(
        request.POST or None,
        visits=visits,
        cadres=_cadres(group),
        initial={"day_from": timezone.localdate(now())},
    )

    def save(d):
        created = services.participation_add(actor=request.user, group=group, **d)
        return _("已登记驻点 %(n)d 条。") % {"n": len(created)}, redirect("campaign:group", pk=group.pk)

    context = {"title": _("登记驻点时间") + " · " + group.name, "back_group": group}
    if group.work_group_id is None:
        context["notice"] = _("本工作组尚未关联走访工作组，请先在“修改工作组”中关联。")
    return form_page(request, form, context, save)


@login_required
def worklog_create(request, pk: int):
    group = _recording(request, pk)
    form = forms.WorkLogForm(request.POST or None, cadres=_cadres(group), initial={"day": timezone.localdate(now())})

    def save(d):
        services.worklog_save(actor=request.user, group=group, **d)
        return _("已保存工作日志。"), redirect("campaign:group", pk=group.pk)

    return form_page(request, form, {"title": _("填写工作日志") + " · " + group.name, "back_group": group}, save)


@login_required
def report_create(request, pk: int):
    group = _recording(request, pk)
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        cadres=_cadres(group),
        initial={"filed_on": timezone.localdate(now())},
    )

    def save(d):
        services.report_file(actor=request.user, group=group, **d)
        return _("已报送调研报告。"), redirect("campaign:group", pk=group.pk)

    context = {"title": _("报送调研报告") + " · " + group.name, "back_group": group, "multipart": True}
    return form_page(request, form, context, save)


@login_required
def typical_create(request, pk: int):
    group = _recording(request, pk)
    form = forms.TypicalForm(
        request.POST or None, cadres=_cadres(group), initial={"filed_on": timezone.localdate(now())}
    )

    def save(d):
        services.typical_file(actor=request.user, group=group, **d)
        return _("已报送典型。"), redirect("campaign:group", pk=group.pk)

    return form_page(request, form, {"title": _("报送典型") + " · " + group.name, "back_group": group}, save)


@login_required
def report_attachment(request, pk: int, report_pk: int):
    """A report's file, only to users who may see the group (else 404)."""
    from casework.views.files import serve_stored_file

    group = selectors.get_visible_group(request.user, pk)
    report = group.reports.select_related("attachment").filter(pk=report_pk).first()
    return serve_stored_file(report.attachment if report else None)
