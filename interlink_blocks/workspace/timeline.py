"""The workplan's timeline as table cells: one column per month, a task's bar one cell that
spans its months (``colspan``). Plain HTML: no script, no inline style (the site's CSP
forbids both), and it prints as it shows."""

import datetime
from dataclasses import dataclass

MAX_MONTHS = 48


@dataclass
class Month:
    first_day: datetime.date
    is_now: bool


@dataclass
class Row:
    task: object
    before: int  # empty columns before the bar
    span: int  # columns the bar covers
    after: int  # empty columns after it
    clipped: bool  # the task runs past the last column shown


def _index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _dates(task) -> tuple[datetime.date, datetime.date] | None:
    """A task's first and last day; one date alone covers its own month."""
    start = task.start_date or task.end_date
    end = task.end_date or task.start_date
    if start is None or end is None:
        return None
    return min(start, end), max(start, end)


def month_span(tasks) -> tuple[int, int] | None:
    """The first and last month (as indexes) that the scheduled tasks cover, at most
    ``MAX_MONTHS`` of them."""
    dates = [d for d in (_dates(task) for task in tasks) if d]
    if not dates:
        return None
    first = min(_index(start) for start, _end in dates)
    last = max(_index(end) for _start, end in dates)
    return first, min(last, first + MAX_MONTHS - 1)


def months(span: tuple[int, int] | None, today: datetime.date) -> list[Month]:
    if span is None:
        return []
    now = _index(today)
    return [
        Month(datetime.date(i // 12, i % 12 + 1, 1), i == now) for i in range(span[0], span[1] + 1)
    ]


def rows(tasks, span: tuple[int, int] | None) -> tuple[list[Row], list]:
    """One row per scheduled task (in plan order) on ``span``'s columns, and the tasks left
    out: those without dates, or starting after the last column."""
    placed, unscheduled = [], []
    for task in tasks:
        dates = _dates(task)
        if dates is None or span is None or _index(dates[0]) > span[1]:
            unscheduled.append(task)
            continue
        count = span[1] - span[0] + 1
        begin = _index(dates[0]) - span[0]
        finish = _index(dates[1]) - span[0]
        width = min(finish, count - 1) - begin + 1
        placed.append(Row(task, begin, width, count - begin - width, finish >= count))
    return placed, unscheduled
