"""Per-step timings of a search, for the benchmark (``bench/search.py``).

Off unless a caller records (``recording()``): then ``step(name)`` adds each step's
milliseconds to the recorder, so the benchmark can print where a search's time goes.
Costs one context-variable read per step otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_steps: ContextVar[dict[str, list[float]] | None] = ContextVar("search_steps", default=None)


@contextmanager
def recording() -> Iterator[dict[str, list[float]]]:
    """Collect the steps' timings (name -> milliseconds per call) while inside."""
    steps: dict[str, list[float]] = {}
    token = _steps.set(steps)
    try:
        yield steps
    finally:
        _steps.reset(token)


@contextmanager
def step(name: str) -> Iterator[None]:
    steps = _steps.get()
    if steps is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        steps.setdefault(name, []).append((time.perf_counter() - started) * 1000)
