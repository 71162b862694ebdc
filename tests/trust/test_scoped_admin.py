"""Scoped admins (issue #21, item 4): a county-level admin manages only the users of its own
subtree and can never grant superuser, staff status, groups or permissions it does not hold,
to others or to itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from casework.models import OrgUnit, StaffProfile
from casework.models.org import Role
from casework.services.org import staff_ensure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def county_admin(users):
    return staff_ensure(
        username="admin_k1", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-K1"), role=Role.ADMIN
    )


@pytest.fixture
def client_of(county_admin):
    client = Client()
    client.force_login(county_admin)
    return client


def _put(data: dict, name: str, field, value) -> None:
    if value is None or value is False:
        return
    if isinstance(field, forms.SplitDateTimeField):
        if isinstance(value, dt.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.time().strftime("%H:%M:%S")
        return
    if value is True:
        data[name] = "on"
    elif isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    else:
        data[name] = str(value)


def _form_data(response) -> dict:
    """What the browser would post back for the change form as shown (inlines included)."""
    data: dict = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if not field.disabled:
            _put(data, form.add_prefix(name), field, form[name].value())
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for sub in formset.forms:
            for name, field in sub.fields.items():
                _put(data, sub.add_prefix(name), field, sub[name].value())
    return data


def _change(client, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = _form_data(page)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(url, data)


def _group(role) -> Group:
    return Group.objects.get(name=role)


def test_a_county_admin_cannot_make_itself_superuser_or_give_itself_more(client_of, county_admin):
    supervise = Permission.objects.get(codename="supervise_case")
    r = _change(
        client_of,
        county_admin,
        is_superuser="on",
        is_staff="on",
        groups=[str(_group(Role.ADMIN).pk), str(_group(Role.SUPERVISOR).pk)],
        user_permissions=[str(supervise.pk)],
    )
    assert r.status_code in (200, 302)
    county_admin.refresh_from_db()
    assert not county_admin.is_superuser
    assert list(county_admin.groups.values_list("name", flat=True)) == [Role.ADMIN]
    assert not county_admin.user_permissions.exists()
    assert not county_admin.has_perm("casework.supervise_case")


def test_a_county_admin_cannot_make_a_colleague_superuser_or_staff(client_of, users):
    desk = users["desk"]
    r = _change(client_of, desk, is_superuser="on", is_staff="on")
    assert r.status_code == 302
    desk.refresh_from_db()
    assert not desk.is_superuser and not desk.is_staff


def test_groups_and_permissions_only_within_what_the_admin_holds(client_of, users):
    leader = users["leader"]
    supervise = Permission.objects.get(codename="supervise_case")
    r = _change(client_of, leader, groups=[str(_group(Role.LEADER).pk), str(_group(Role.SUPERVISOR).pk)])
    assert r.status_code == 200  # the form again, with the refusal
    assert list(leader.groups.values_list("name", flat=True)) == [Role.LEADER]
    r = _change(client_of, leader, user_permissions=[str(supervise.pk)])
    assert r.status_code == 200
    assert not leader.user_permissions.exists()
    # what the admin holds may be given, and what the user had stays
    view_orgunit = Permission.objects.get(codename="view_orgunit")
    r = _change(client_of, leader, user_permissions=[str(view_orgunit.pk)])
    assert r.status_code == 302
    assert list(leader.user_permissions.all()) == [view_orgunit]
    assert list(leader.groups.values_list("name", flat=True)) == [Role.LEADER]


def test_only_users_of_the_own_subtree(client_of, users):
    elsewhere = users["officer_elsewhere"]  # county B
    url = reverse("admin:auth_user_change", args=[elsewhere.pk])
    assert client_of.get(url).status_code == 302  # "does not exist": back to the admin index
    r = client_of.post(url, {"username": "renamed", "is_superuser": "on"})
    assert r.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.username == "officer_elsewhere" and not elsewhere.is_superuser
    new = "另一个足够长的口令-2026"
    r = client_of.post(
        reverse("admin:auth_user_password_change", args=[elsewhere.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert r.status_code == 404
    assert not User.objects.get(pk=elsewhere.pk).check_password(new)
    # the superuser (province) is out of reach too
    assert client_of.get(reverse("admin:auth_user_change", args=[users["admin"].pk])).status_code == 302
    listing = client_of.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "desk" in listing and "officer_elsewhere" not in listing
    assert f'/admin/auth/user/{users["admin"].pk}/change/' not in listing


def test_profiles_stay_in_the_subtree(client_of, county_admin, users):
    province = OrgUnit.objects.get(code="DEMO-P")
    k2 = users["officer_elsewhere"].staff.unit
    desk_profile = users["desk"].staff
    url = reverse("admin:casework_staffprofile_change", args=[desk_profile.pk])
    page = client_of.get(url)
    assert page.status_code == 200
    data = _form_data(page)
    r = client_of.post(url, {**data, "unit": str(k2.pk)})
    assert r.status_code == 200 and "只能选择您管辖范围内的单位" in r.content.decode()
    desk_profile.refresh_from_db()
    assert desk_profile.unit.code == "DEMO-K1"
    # its own profile: neither unit nor role can change (no moving up to the province)
    own = county_admin.staff
    url = reverse("admin:casework_staffprofile_change", args=[own.pk])
    r = client_of.post(url, {"user": str(county_admin.pk), "unit": str(province.pk), "role": Role.SUPERVISOR})
    own.refresh_from_db()
    assert own.unit.code == "DEMO-K1" and own.role == Role.ADMIN
    # county B's profiles are not there at all
    other = users["officer_elsewhere"].staff
    assert client_of.get(reverse("admin:casework_staffprofile_change", args=[other.pk])).status_code == 302


def test_no_profile_that_would_bring_a_superuser_into_reach(client_of):
    root = User.objects.create_superuser("root", password=PASSWORD)
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    r = client_of.post(
        reverse("admin:casework_staffprofile_add"), {"user": str(root.pk), "unit": str(k1.pk), "role": Role.INTAKE}
    )
    assert r.status_code == 200 and "只能为您管辖范围内的用户" in r.content.decode()
    assert not StaffProfile.objects.filter(user=root).exists()


def test_a_user_the_county_admin_adds_lands_in_its_subtree(client_of):
    url = reverse("admin:auth_user_add")
    page = client_of.get(url)
    assert page.status_code == 200
    body = {
        "username": "desk_new",
        "password1": "职工之家-2026-安全口令",
        "password2": "职工之家-2026-安全口令",
        "usable_password": "true",
        "staff-TOTAL_FORMS": "1",
        "staff-INITIAL_FORMS": "0",
        "staff-MIN_NUM_FORMS": "1",
        "staff-MAX_NUM_FORMS": "1",
    }
    r = client_of.post(url, body)  # no profile: refused
    assert r.status_code == 200 and not User.objects.filter(username="desk_new").exists()
    k2 = OrgUnit.objects.get(code="DEMO-K2")
    r = client_of.post(url, {**body, "staff-0-unit": str(k2.pk), "staff-0-role": Role.INTAKE})
    assert r.status_code == 200 and not User.objects.filter(username="desk_new").exists()
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    r = client_of.post(url, {**body, "staff-0-unit": str(k1.pk), "staff-0-role": Role.INTAKE})
    assert r.status_code == 302
    created = User.objects.get(username="desk_new")
    assert created.staff.unit == k1 and not created.is_staff and not created.is_superuser


def test_a_superuser_still_manages_everyone(users):
    client = Client()
    client.force_login(users["admin"])
    elsewhere = users["officer_elsewhere"]
    r = _change(client, elsewhere, is_staff="on")
    assert r.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.is_staff
