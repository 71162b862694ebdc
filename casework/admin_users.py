"""Users and staff profiles in the admin, for scoped admins (系统管理员 of a unit).

A superuser manages everyone. Any other admin (``auth.change_user`` through the admin role)
manages only the users whose staff profile lies in the subtree of their own unit, never a
superuser, and:

- never sets superuser or staff status (read-only for them, on every row);
- grants only groups whose permissions they hold themselves, and only permissions they hold
  (what a user already has stays; nothing new beyond the admin's own);
- changes none of their own privileges (groups, permissions, active flag, unit, role);
- places a profile only in a unit of their subtree, and only for a user they manage or one
  with no profile yet who is neither staff nor superuser; a user they add gets a profile in
  their subtree in the same save (the add form requires it).

Django's own ``UserAdmin`` is replaced (``admin.site.unregister(User)``): its default lets
anyone holding ``auth.change_user`` post ``is_superuser=on`` for their own row.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from . import admin_permissions, rules
from .models import OrgUnit, StaffProfile

User = get_user_model()


# --- the rules ---------------------------------------------------------------------------


def scope_path(actor) -> str | None:
    """The path prefix of the units ``actor`` administers (``None``: none at all)."""
    p = rules.profile(actor)
    return p.unit.path if p else None


def unit_in_scope(actor, unit: OrgUnit) -> bool:
    if actor.is_superuser:
        return True
    path = scope_path(actor)
    return path is not None and unit.path.startswith(path)


def managed_users(actor, users=None):
    users = User.objects.all() if users is None else users
    if actor.is_superuser:
        return users
    path = scope_path(actor)
    if path is None:
        return users.none()
    return users.filter(staff__unit__path__startswith=path, is_superuser=False)


def held_permission_ids(actor) -> set[int]:
    names = actor.get_all_permissions()
    if not names:
        return set()
    q = Q()
    for name in names:
        app_label, codename = name.split(".", 1)
        q |= Q(content_type__app_label=app_label, codename=codename)
    return set(Permission.objects.filter(q).values_list("pk", flat=True))


def grantable_group_ids(actor) -> set[int]:
    """Groups all of whose permissions ``actor`` holds."""
    held = held_permission_ids(actor)
    return {g.pk for g in Group.objects.prefetch_related("permissions") if {p.pk for p in g.permissions.all()} <= held}


def _refused(names: list[str]) -> forms.ValidationError:
    return forms.ValidationError(_("不能授予您本人没有的权限：%(names)s。") % {"names": "、".join(sorted(names))})


# --- user admin ------------------------------------------------------------------------


def _scoped_user_form(actor, base):
    """``base`` (the admin's user form) limited to what ``actor`` may grant."""

    class ScopedUserForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pk = self.instance.pk
            self._groups_before = set(self.instance.groups.values_list("pk", flat=True)) if pk else set()
            self._perms_before = set(self.instance.user_permissions.values_list("pk", flat=True)) if pk else set()
            self._grantable_groups = grantable_group_ids(actor)
            self._held_perms = held_permission_ids(actor)
            if "groups" in self.fields:
                ids = self._grantable_groups | self._groups_before
                self.fields["groups"].queryset = Group.objects.filter(pk__in=ids)
            if "user_permissions" in self.fields:
                ids = self._held_perms | self._perms_before
                self.fields["user_permissions"].queryset = Permission.objects.filter(pk__in=ids)

        def clean_groups(self):
            groups = self.cleaned_data["groups"]
            added = [g for g in groups if g.pk not in self._groups_before and g.pk not in self._grantable_groups]
            if added:
                raise _refused([g.name for g in added])
            return groups

        def clean_user_permissions(self):
            perms = self.cleaned_data["user_permissions"]
            added = [p for p in perms if p.pk not in self._perms_before and p.pk not in self._held_perms]
            if added:
                raise _refused([p.codename for p in added])
            return perms

    return ScopedUserForm


def _scoped_profile_form(actor, base):
    class ScopedProfileForm(base):
        def clean_unit(self):
            unit = self.cleaned_data.get("unit")
            if unit is not None and not unit_in_scope(actor, unit):
                raise forms.ValidationError(_("只能选择您管辖范围内的单位。"))
            return unit

        def clean(self):
            cleaned = super().clean()
            user = cleaned.get("user") if "user" in self.fields else None
            # (a user being added in the same save has no pk yet: the unit check places it)
            if user is not None and user.pk is not None and not actor.is_superuser:
                manageable = managed_users(actor).filter(pk=user.pk).exists()
                fresh = not StaffProfile.objects.filter(user=user).exists() and not (user.is_staff or user.is_superuser)
                if not (manageable or fresh):
                    self.add_error("user", _("只能为您管辖范围内的用户设置工作人员信息。"))
            return cleaned

    return ScopedProfileForm


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    raw_id_fields = ("unit",)
    fields = ("unit", "role", "phone")

    def get_min_num(self, request, obj=None, **kwargs):
        # A user a scoped admin adds must land in their subtree, or they could not see it again.
        return 0 if request.user.is_superuser else 1

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            return ("unit", "role")
        return ()

    def get_formset(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = _scoped_profile_form(request.user, self.form)
            kwargs["validate_min"] = True
        return super().get_formset(request, obj, **kwargs)


class ScopedUserAdmin(admin_permissions.PermissionNames, UserAdmin):
    inlines = [StaffProfileInline]

    def get_queryset(self, request):
        return managed_users(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        fields += ["is_superuser", "is_staff", "last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            fields += ["is_active", "groups", "user_permissions"]
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        return _scoped_user_form(request.user, form)


class ScopedStaffProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")

    def get_queryset(self, request):
        profiles = super().get_queryset(request)
        if request.user.is_superuser:
            return profiles
        path = scope_path(request.user)
        if path is None:
            return profiles.none()
        return profiles.filter(unit__path__startswith=path, user__is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk and not request.user.is_superuser:
            return ("user", "unit", "role")
        return ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        return _scoped_profile_form(request.user, form)


def register(site: admin.AdminSite) -> None:
    if site.is_registered(User):
        site.unregister(User)
    site.register(User, ScopedUserAdmin)
    site.register(StaffProfile, ScopedStaffProfileAdmin)
    admin_permissions.register(site)
