"""Pages: contact points, the 联系户 / 困难职工 register (masked), pairings and help given."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.clock import now

from .. import forms, rules, selectors, services
from .common import form_page, run_and_redirect


@login_required
def point_create(request, pk: int):
    campaign = selectors.get_visible_campaign(request.user, pk)
    if not rules.can_manage(request.user, campaign):
        raise PermissionDenied
    form = forms.PointForm(
        request.POST or None,
        unit=campaign.unit,
        cadres=selectors.campaign_cadres(campaign),
        initial={"since": campaign.period_start, "unit": campaign.unit},
    )

    def save(d):
        services.point_add(actor=request.user, campaign=campaign, **d)
        return _("已设立联系点。"), redirect("campaign:detail", pk=campaign.pk)

    return form_page(request, form, {"title": _("设立联系点"), "back": campaign}, save)


@login_required
def family_list(request, pk: int):
    """The 联系户 / 困难职工 register: masked for everyone (details on a family's page)."""
    campaign = selectors.get_visible_campaign(request.user, pk)
    families = selectors.campaign_families(campaign)
    rows = [(f, selectors.family_row(f)) for f in families]
    context = {
        "title": _("联系户与困难职工档案") + " · " + campaign.name,
        "campaign": campaign,
        "rows": rows,
        "can_keep": rules.can_keep_families(request.user, campaign),
    }
    return render(request, "campaign/families.html", context)


@login_required
def family_create(request, pk: int):
    campaign = selectors.get_visible_campaign(request.user, pk)
    if not rules.can_keep_families(request.user, campaign):
        raise PermissionDenied
    form = forms.FamilyForm(request.POST or None, unit=campaign.unit, initial={"unit": campaign.unit})

    def save(d):
        family = services.family_create(actor=request.user, campaign=campaign, **d)
        return _("已建立联系户档案。"), redirect("campaign:family", pk=family.pk)

    return form_page(request, form, {"title": _("建立联系户档案"), "back": campaign}, save)


@login_required
def family_detail(request, pk: int):
    """A family: masked by default; ``?unmask=1`` for those allowed, and logged."""
    family = selectors.get_visible_family(request.user, pk)
    campaign = family.campaign
    can_unmask = rules.can_see_family_details(request.user, campaign)
    unmask = request.GET.get("unmask") == "1" and can_unmask
    if unmask:
        services.family_access_record(family=family, user=request.user, kind="page", ip=request.META.get("REMOTE_ADDR"))
    can_keep = rules.can_keep_families(request.user, campaign)
    cadres = selectors.campaign_cadres(campaign)
    context = {
        "title": _("联系户档案"),
        "family": family,
        "campaign": campaign,
        "row": selectors.family_row(family, unmask=unmask),
        "can_unmask": can_unmask and not unmask,
        "pairings": list(family.pairings.select_related("cadre").order_by("since")),
        "contacts": list(family.contacts.select_related("delivered_by").order_by("-on", "-pk")),
        "can_keep": can_keep,
        "can_correct": rules.can_correct_family(request.user, campaign),
        "pair_form": forms.PairingForm(cadres=cadres, initial={"since": timezone.localdate(now())})
        if can_keep
        else None,
        "contact_form": forms.ContactForm(cadres=cadres, initial={"on": timezone.localdate(now())})
        if can_keep
        else None,
    }
    return render(request, "campaign/family.html", context)


def _keeping(request, pk: int):
    family = selectors.get_visible_family(request.user, pk)
    if not rules.can_keep_families(request.user, family.campaign):
        raise PermissionDenied
    return family


@login_required
def pairing_create(request, pk: int):
    family = _keeping(request, pk)
    form = forms.PairingForm(request.POST or None, cadres=selectors.campaign_cadres(family.campaign))

    def save(d):
        services.pairing_add(actor=request.user, family=family, **d)
        return _("已安排结对帮扶。"), redirect("campaign:family", pk=family.pk)

    return form_page(request, form, {"title": _("结对帮扶"), "back_family": family}, save)


@login_required
def contact_create(request, pk: int):
    family = _keeping(request, pk)
    form = forms.ContactForm(request.POST or None, cadres=selectors.campaign_cadres(family.campaign))

    def save(d):
        services.family_contact_add(actor=request.user, family=family, **d)
        return _("已登记帮扶记录。"), redirect("campaign:family", pk=family.pk)

    return form_page(request, form, {"title": _("登记联系与帮扶"), "back_family": family}, save)


# --- corrections ----------------------------------------------------------------------------


@login_required
def point_edit(request, pk: int):
    point = selectors.get_visible_point(request.user, pk)
    campaign = point.campaign
    if not rules.can_manage(request.user, campaign):
        raise PermissionDenied
    initial = {"place": point.place, "unit": point.unit, "cadre": point.cadre, "since": point.since}
    form = forms.PointForm(
        request.POST or None, unit=campaign.unit, cadres=selectors.campaign_cadres(campaign), initial=initial
    )

    def save(d):
        services.point_update(actor=request.user, point=point, **d)
        return _("已修改联系点。"), redirect("campaign:detail", pk=campaign.pk)

    return form_page(request, form, {"title": _("修改联系点"), "back": campaign, "delete_url": reverse(
        "campaign:point_delete", args=[point.pk])}, save)  # fmt: skip


@login_required
@require_POST
def point_delete(request, pk: int):
    point = selectors.get_visible_point(request.user, pk)
    if not rules.can_manage(request.user, point.campaign):
        raise PermissionDenied
    done = reverse("campaign:detail", args=[point.campaign_id])
    return run_and_redirect(
        request, lambda: services.point_delete(actor=request.user, point=point), _("已撤销联系点。"), done, done
    )


def _correcting(request, pk: int):
    family = selectors.get_visible_family(request.user, pk)
    if not rules.can_correct_family(request.user, family.campaign):
        raise PermissionDenied
    return family


@login_required
def family_edit(request, pk: int):
    """The edit form shows the family's details unmasked, so showing it is a logged view."""
    family = _correcting(request, pk)
    if request.method == "GET":
        services.family_access_record(family=family, user=request.user, kind="edit", ip=request.META.get("REMOTE_ADDR"))
    fields = ("unit", "head", "phone", "address", "employer", "members", "hardship", "situation")
    form = forms.FamilyForm(
        request.POST or None, unit=family.campaign.unit, initial={f: getattr(family, f) for f in fields}
    )

    def save(d):
        services.family_update(actor=request.user, family=family, **d)
        return _("已修改联系户档案。"), redirect("campaign:family", pk=family.pk)

    return form_page(request, form, {"title": _("修改联系户档案"), "back_family": family}, save)


@login_required
@require_POST
def family_delete(request, pk: int):
    family = _correcting(request, pk)
    return run_and_redirect(
        request,
        lambda: services.family_delete(actor=request.user, family=family),
        _("已删除联系户档案。"),
        reverse("campaign:families", args=[family.campaign_id]),
        reverse("campaign:family", args=[family.pk]),
    )


def _pairing(request, pk: int):
    pairing = selectors.get_visible_pairing(request.user, pk)
    if not rules.can_keep_families(request.user, pairing.family.campaign):
        raise PermissionDenied
    return pairing


@login_required
def pairing_edit(request, pk: int):
    pairing = _pairing(request, pk)
    family = pairing.family
    form = forms.PairingEditForm(request.POST or None, initial={"since": pairing.since, "until": pairing.until})

    def save(d):
        services.pairing_update(actor=request.user, pairing=pairing, **d)
        return _("已修改结对帮扶。"), redirect("campaign:family", pk=family.pk)

    title = _("修改结对帮扶：%(name)s") % {"name": pairing.cadre.name}
    return form_page(request, form, {"title": title, "back_family": family, "delete_url": reverse(
        "campaign:pairing_delete", args=[pairing.pk])}, save)  # fmt: skip


@login_required
@require_POST
def pairing_delete(request, pk: int):
    pairing = _pairing(request, pk)
    back = reverse("campaign:family", args=[pairing.family_id])
    return run_and_redirect(
        request, lambda: services.pairing_delete(actor=request.user, pairing=pairing), _("已删除结对帮扶。"), back, back
    )
