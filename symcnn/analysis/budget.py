"""A time budget for an analysis: no step of it runs unbounded.

The closed forms are built layer by layer; a layer whose sizes sympy cannot simplify
quickly (a form no rule of :mod:`symcnn.analysis.collapse` covers) could take minutes.
:func:`deadline` gives the whole analysis of one network a number of seconds: on POSIX, in
the main thread, a timer interrupts whatever runs when they are up (sympy included); elsewhere
the analysis checks the clock between layers. Either way it raises :class:`OutOfTime`,
which the analysis catches to give the layers derived so far and name the one that was not.

:class:`OutOfTime` derives from ``BaseException``, as ``KeyboardInterrupt`` does, so that
no ``except Exception`` inside sympy swallows it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds an analysis of one network may take, unless told otherwise (``analyse(...,
#: budget=...)`` and the ``--budget`` option for one run, the environment variable
#: ``SYMCNN_BUDGET`` for a whole session).
DEFAULT_BUDGET = 20.0


class OutOfTime(BaseException):
    """The analysis used up its time budget."""


_OVERRIDE: list[float] = []

#: Seconds between the alarm's rings once the time is up: Python ignores an exception raised in a
#: weakref callback or a ``__del__`` (it only prints "Exception ignored"), so a single ring that lands
#: there (as it does in ``torch.export``, which makes many) would leave the block running unbounded.
RING_AGAIN = 0.1


def default_budget() -> float:
    """The budget of an analysis not given one: the innermost :func:`within`, else the
    environment's ``SYMCNN_BUDGET`` where it is a positive number of seconds, else
    :data:`DEFAULT_BUDGET`."""
    if _OVERRIDE:
        return _OVERRIDE[-1]
    try:
        value = float(os.environ.get("SYMCNN_BUDGET", ""))
    except ValueError:
        return DEFAULT_BUDGET
    return value if value > 0 else DEFAULT_BUDGET


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Every analysis started in the block (and not given a budget) gets ``seconds`` (None: unchanged)."""
    if seconds is None:
        yield
        return
    _OVERRIDE.append(seconds)
    try:
        yield
    finally:
        _OVERRIDE.pop()


class Clock:
    """What the analysis asks while it runs: whether the time is up."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.armed = True

    def check(self) -> None:
        """Raise :class:`OutOfTime` once the budget is spent (between layers)."""
        if time.monotonic() > self.end:
            raise OutOfTime


@contextmanager
def deadline(seconds: float) -> Iterator[Clock]:
    """Run the block within ``seconds``: :class:`OutOfTime` is raised in it when they are up, and
    again every :data:`RING_AGAIN` seconds until the block ends (or, for a budget shorter than
    setting up takes, from entering it: catch it around the ``with``)."""
    clock = Clock(seconds)
    timer = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
             and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
    previous = None

    hook = sys.unraisablehook

    def ring(signum: int, frame: object) -> None:
        if clock.armed:
            raise OutOfTime

    def ignored(unraisable: sys.UnraisableHookArgs) -> None:
        """A ring Python ignored is silent (the alarm rings again); anything else as before."""
        if not isinstance(unraisable.exc_value, OutOfTime):
            hook(unraisable)

    try:  # the alarm may ring before the block starts: the timer and the handler go all the same
        if timer:
            sys.unraisablehook = ignored
            previous = signal.signal(signal.SIGALRM, ring)
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6), RING_AGAIN)
        yield clock
    finally:
        clock.armed = False
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if previous is not None:
                signal.signal(signal.SIGALRM, previous)
            sys.unraisablehook = hook


__all__ = ["DEFAULT_BUDGET", "OutOfTime", "Clock", "deadline", "default_budget", "within"]
