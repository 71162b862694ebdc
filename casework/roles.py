"""Roles as Django groups with their permissions, kept in sync after every migrate."""

from django.contrib.auth.models import Group, Permission

from .models.org import Role

ROLE_PERMISSIONS = {
    Role.INTAKE: ["casework.view_case", "casework.register_case"],
    Role.OFFICER: ["casework.view_case", "casework.handle_case"],
    Role.LEADER: ["casework.view_case", "casework.lead_case", "casework.view_personal_data"],
    Role.SUPERVISOR: ["casework.view_case", "casework.supervise_case"],
    Role.ADMIN: [
        "casework.view_case",
        "casework.view_personal_data",
        "casework.add_orgunit",
        "casework.change_orgunit",
        "casework.view_orgunit",
        "casework.add_category",
        "casework.change_category",
        "casework.view_category",
        "casework.add_channel",
        "casework.change_channel",
        "casework.view_channel",
        "casework.add_staffprofile",
        "casework.change_staffprofile",
        "casework.view_staffprofile",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        # 节假日安排: load the State Council's notice (escalation's admin page 粘贴通知录入)
        "escalation.view_holidayschedule",
        "escalation.add_holidayschedule",
        "escalation.confirm_holidayschedule",
    ],
}


def sync_role_groups(**kwargs) -> None:
    """Create one group per role and give it exactly its permissions (idempotent)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        perms = []
        for name in names:
            app_label, codename = name.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
