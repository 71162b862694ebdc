from . import rules


def shell(request):
    """Menu context for the Material shell: the user's staff profile and role."""
    user = getattr(request, "user", None)
    profile = rules.profile(user) if user is not None else None
    return {"staff_profile": profile, "staff_role": profile.role if profile else None}
