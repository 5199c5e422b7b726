"""The workplan's table cells as HTML, built in Python.

A plan of 200 tasks over two years is ~1,000 dates, 200 links and 200 bars: rendered cell by
cell in the template language (an include, a ``{% url %}`` and four ``date`` filters per
row) that cost several times the rest of the page. Here each date is formatted once per
request, the task link is reversed once, and each row is one ``format_html``; the markup
is the same as the template's was (the table, its caption and headers stay in
``workplan.html``).
"""

import datetime
from collections.abc import Callable
from functools import lru_cache
from html import escape  # what django.utils.html.escape calls, without its lazy-text wrapper
from typing import Any

from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import timeline


def task_urls(process) -> Callable[[int], str]:
    """The task page's URL for a task id, reversed once: the id goes where a marker went."""
    marker = 987654321
    head, tail = reverse("interlink_workspace:task", args=[process.pk, marker]).rsplit(
        str(marker), 1
    )
    return lambda task_id: f"{head}{task_id}{tail}"


def month_cells(months: list[timeline.Month]) -> SafeString:
    """The month column headers (the same in every phase's table)."""
    now = format_html('<span class="il-visually-hidden"> ({})</span>', _("this month"))
    return format_html_join(
        "",
        '<th scope="col" class="il-month{}"><time datetime="{}">{}</time>{}</th>',
        (
            (
                " il-month--now" if month.is_now else "",
                month.first_day.strftime("%Y-%m"),
                dateformat.format(month.first_day, "M y"),
                now if month.is_now else "",
            )
            for month in months
        ),
    )


@lru_cache(maxsize=4096)
def _time(day: datetime.date, language: str | None) -> str:
    """A date as the template's ``<time>`` with ``date:"j M Y"`` (the month's name in the
    active language, hence the key): the same few hundred dates come back on every view."""
    return f'<time datetime="{day.isoformat()}">{escape(dateformat.format(day, "j M Y"))}</time>'


class Renderer:
    """Builds the rows and the "without dates" links of each phase for one request.

    Rows are plain strings joined once and marked safe at the end: every value put in them
    is escaped here (``format_html`` per cell cost more than the rest of the page)."""

    def __init__(self, process) -> None:
        self.url = task_urls(process)
        self.times: dict[datetime.date, str] = {}
        self.labels: dict[str, str] = {}

    def _time(self, day: datetime.date | None) -> str:
        if day is None:
            return "…"
        if day not in self.times:
            self.times[day] = _time(day, get_language())
        return self.times[day]

    def _label(self, task) -> str:
        if task.status not in self.labels:
            self.labels[task.status] = escape(str(task.get_status_display()))
        return self.labels[task.status]

    def _row(self, row: timeline.Row) -> str:
        task: Any = row.task  # a Task, or any object with its fields (the tests')
        before = f'<td colspan="{row.before}"></td>' if row.before else ""
        after = f'<td colspan="{row.after}"></td>' if row.after else ""
        dates = ""
        if task.start_date or task.end_date:
            dates = (
                f'<span class="il-meta">{self._time(task.start_date)} – '
                f"{self._time(task.end_date)}</span>"
            )
        return (
            f'\n            <tr><th scope="row"><a href="{escape(self.url(task.pk))}">'
            f"{escape(task.title)}</a></th>{before}"
            f'<td colspan="{row.span}" class="il-bar il-bar--{escape(task.status)}">'
            f"{self._label(task)} · {dates}{' →' if row.clipped else ''}</td>{after}</tr>\n        "
        )

    def rows(self, rows: list[timeline.Row]) -> SafeString:
        return mark_safe("".join(self._row(row) for row in rows))  # noqa: S308 (escaped above)

    def links(self, tasks: list) -> SafeString:
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((self.url(task.pk), task.title) for task in tasks)
        )
