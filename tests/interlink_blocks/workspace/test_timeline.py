"""The workplan's month columns and bars (pure functions)."""

import datetime
from types import SimpleNamespace

from interlink_blocks.workspace import timeline


def task(start=None, end=None):
    return SimpleNamespace(start_date=start, end_date=end)


def test_bars_span_their_months():
    """Ensures that each bar starts in its first month and covers every month to its last."""
    a = task(datetime.date(2026, 1, 15), datetime.date(2026, 3, 2))
    b = task(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    c = task(None, datetime.date(2026, 5, 10))  # only an end: its own month
    d = task()
    span = timeline.month_span([a, b, c, d])
    months = timeline.months(span, datetime.date(2026, 3, 9))
    assert [m.first_day.month for m in months] == [1, 2, 3, 4, 5]
    assert [m.is_now for m in months] == [False, False, True, False, False]
    rows, unscheduled = timeline.rows([a, b, c, d], span)
    assert [(r.before, r.span, r.after) for r in rows] == [(0, 3, 2), (2, 1, 2), (4, 1, 0)]
    assert unscheduled == [d]


def test_long_plans_are_cut_at_four_years():
    """Ensures that the columns stay bounded: a task running past them is marked clipped."""
    long = task(datetime.date(2026, 1, 1), datetime.date(2035, 1, 1))
    span = timeline.month_span([long])
    assert span[1] - span[0] + 1 == timeline.MAX_MONTHS
    (row,), _none = timeline.rows([long], span)
    assert row.clipped and row.span == timeline.MAX_MONTHS
