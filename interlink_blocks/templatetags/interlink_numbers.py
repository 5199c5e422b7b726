"""Counts as each language writes them: ``{{ count|grouped }}`` gives 12,345, 12.345 or 12 345.

Django groups digits only under ``USE_THOUSAND_SEPARATOR``, which groups every number a
template prints, ids in URLs and anchors among them (``?page=1,024``, ``#contribution-1,234``).
So that setting stays off and the counts people read go through this filter::

    {% load interlink_numbers %}
    {% blocktranslate count counter=total with shown=total|grouped %}{{ shown }} call{% plural %}…
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value):
    """A number with the active language's decimal and thousands separators; anything else
    (text in a table cell, ``None``) unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return number_format(value, force_grouping=True)
