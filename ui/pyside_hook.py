"""A faster answer to the question PySide6 asks of every module imported after it.

For its ``__feature__`` switches (``snake_case``, ``true_property``), PySide6 records for every
newly imported module whether it uses PySide6: ``shibokensupport.feature._mod_uses_pyside`` calls
``inspect.getsource(module)`` and looks for the text "PySide6". That costs ~0.25 ms a module: the
~250 modules of SQLAlchemy, Alembic and the services, imported in the background while the case
list is first drawn, took ~60 ms of the interpreter (and the lock the drawing thread needs).

:func:`install` swaps in the same test on the file's bytes (~0.05 ms a module): a source file
(``.py``) is read and searched for ``b"PySide6"``; anything else (no file, an extension module,
a module inside an archive of a frozen bundle, a file that cannot be read) is asked of PySide6's
own function, so every module gets the answer PySide6 would have given. Likvärd uses no
``__feature__``; the answer only has to stay the same. If a PySide6 version moves the function,
nothing is changed.
"""

from __future__ import annotations

import sys
from types import ModuleType

_MARK = "_likvard_fast"


def install() -> bool:
    """Replace PySide6's source scan by the byte scan (before the first ``import PySide6``:
    ``shiboken6`` loads the feature module). True when it is in place."""
    import shiboken6  # noqa: F401 (loads shibokensupport.feature)

    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(upstream):
        return False
    if getattr(upstream, _MARK, False):
        return True

    def _mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(upstream(module))

    setattr(_mod_uses_pyside, _MARK, True)
    feature._mod_uses_pyside = _mod_uses_pyside  # type: ignore[union-attr]
    return True
