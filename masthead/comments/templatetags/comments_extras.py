from typing import Any

from django import template

from masthead.comments import services

register = template.Library()


@register.filter
def comment_email_on(user: Any) -> bool:
    return services.notify_wanted(user)
