from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The bell's number: ``{% unread_notifications as n %}`` (one COUNT on an index)."""
    user = context.get("user")
    return selectors.unread_count(user) if user is not None and user.is_authenticated else 0
