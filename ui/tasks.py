"""The one way slow work leaves the UI thread.

``run_in_background(fn, on_done, on_error, progress)`` runs ``fn`` on the global QThreadPool and
delivers its result, its error or its progress back on the UI thread through Qt signals. ``fn``
never touches a widget: it receives a ``report(done, total)`` callable when it asks for one.

Tests switch to a synchronous runner with ``set_synchronous(True)`` (see tests/ui/conftest.py).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_synchronous = False
_alive: set[_Relay] = set()  # keeps relays alive until their task has reported


def set_synchronous(value: bool) -> None:
    """Run tasks immediately on the calling thread (tests) instead of in the pool."""
    global _synchronous
    _synchronous = value


def is_synchronous() -> bool:
    return _synchronous


class _Relay(QObject):
    """Lives on the UI thread: signals emitted by the worker are queued to its slots."""

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 progress: Callable[[int, int], None] | None) -> None:
        super().__init__()
        self.on_done = on_done
        self.on_error = on_error
        self.progress = progress
        self.done.connect(self.finish)
        self.failed.connect(self.fail)
        self.progressed.connect(self.report)

    @Slot(object)
    def finish(self, result: Any) -> None:
        _alive.discard(self)
        if self.on_done is not None:
            self.on_done(result)

    @Slot(object)
    def fail(self, exc: BaseException) -> None:
        _alive.discard(self)
        if self.on_error is not None:
            self.on_error(exc)
        else:
            log.error("background task failed: %s", exc)

    @Slot(int, int)
    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


class _Runnable(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.call = call
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.call()
        except BaseException as exc:  # delivered to on_error on the UI thread
            log.debug("background task failed:\n%s", traceback.format_exc())
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def _wants_report(fn: Callable[..., Any]) -> bool:
    code = getattr(fn, "__code__", None)  # not inspect.signature: importing inspect slows start-up
    if code is None:
        return False
    return "report" in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]


def run_in_background(
    fn: Callable[..., Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Run ``fn()`` (or ``fn(report=...)`` when it takes ``report``) off the UI thread.

    ``on_done(result)``, ``on_error(exception)`` and ``progress(done, total)`` run on the UI thread.
    """
    relay = _Relay(on_done, on_error, progress)
    call: Callable[[], Any]
    if _wants_report(fn):
        def call() -> Any:
            return fn(report=relay.progressed.emit)
    else:
        call = fn
    if _synchronous:
        try:
            result = call()
        except Exception as exc:
            relay.fail(exc)
        else:
            relay.finish(result)
        return
    _alive.add(relay)
    QThreadPool.globalInstance().start(_Runnable(call, relay))


def wait_for_all(msecs: int = 30000) -> bool:
    """Wait until the pool is idle (used on quit so no task is cut half-way)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
