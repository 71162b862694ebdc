"""Building the organisation: units and staff (used by admin tooling and the demo)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from ..models import OrgUnit, StaffProfile
from ..models.org import Role


def unit_ensure(*, code: str, name: str, kind: str, parent: OrgUnit | None = None, region_code: str = "") -> OrgUnit:
    """Create the unit with ``code`` unless it exists (idempotent)."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, region_code=region_code)
        unit.full_clean(exclude=["path"])
        unit.save()
    return unit


@transaction.atomic
def staff_ensure(*, username: str, password: str, unit: OrgUnit, role: str, full_name: str = "", phone: str = ""):
    """A staff user with a profile and exactly the group of ``role`` (idempotent)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, first_name=full_name)
        user.set_password(password)
        user.is_staff = role == Role.ADMIN
        user.save()
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit, "role": role, "phone": phone})
    user.groups.set([Group.objects.get(name=role)])
    return user
