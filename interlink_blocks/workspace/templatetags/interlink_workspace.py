from django import template

from interlink_blocks.participation.models import TeamRole

register = template.Library()


@register.filter
def team_role_label(value: str) -> str:
    return str(TeamRole(value).label) if value in TeamRole.values else ""
