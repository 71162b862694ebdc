from django import template

register = template.Library()


@register.filter
def pct(value):
    """A 0–1 fraction as a percentage; — when there is nothing to rate."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def action_label(code):
    from casework.selectors import ACTION_LABELS

    return ACTION_LABELS.get(code, code)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def outcome_label(code):
    from casework.models.case import Level, Outcome

    return dict(Outcome.choices).get(code) or dict(Level.choices).get(code) or code or "—"
