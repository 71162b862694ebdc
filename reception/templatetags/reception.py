from django import template

register = template.Library()


@register.filter
def mask_name(value: str) -> str:
    """王建国 → 王**: a printed register shows only the family name."""
    value = str(value or "")
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""
