"""Pages: contact points, the 联系户 / 困难职工 register (masked), pairings and help given."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.clock import now

from .. import forms, rules, selectors, services
from .common import form_page


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
