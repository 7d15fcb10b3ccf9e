"""Import Qt first, and spare every later import PySide6's source scan.

PySide6 wraps ``__import__`` to support ``from __feature__ import snake_case``: after each new
module is imported it reads the module's whole source (``inspect.getsource``) to see whether it
mentions PySide6. Coze Desktop uses no ``__feature__``, and reading the ~150 sources imported on
the way to the first frame cost 30-80 ms of start-up (``tests/bench/bench_startup.py``). The
question is answered "yes" without reading: every module then gets the default feature set,
exactly what a module that uses PySide6 without ``__feature__`` gets. Where the hook looks
different (another PySide6 version), nothing is changed.

``desktop.app`` imports this module before anything else.

Start-up also runs without the cyclic garbage collector: ``python -m desktop`` (and the frozen
app) calls ``pause_collector`` once Qt is imported, ``desktop.app.main`` calls
``resume_collector`` after the first frame. Nearly every object made on the way there lives as
long as the app (about 45,000 tracked objects, of which about 100 are garbage), yet the
collector would walk them some 30 times: 5-10 ms. Resuming freezes them (``gc.freeze``), so
later collections, while answers stream, never walk them again either.
"""

from __future__ import annotations

import gc
import sys
from types import ModuleType

import PySide6.QtCore  # installs the import hook tamed below
import PySide6.QtGui
import PySide6.QtWidgets  # noqa: F401

_FEATURE_MODULE = "shibokensupport.feature"


def _uses_pyside(_module: ModuleType) -> bool:
    return True


def _skip_source_scan() -> bool:
    feature = sys.modules.get(_FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", _uses_pyside)  # noqa: B010 (private: see above)
    return True


SOURCE_SCAN_SKIPPED = _skip_source_scan()


def pause_collector() -> None:
    """Stop automatic garbage collection for the start-up (see the module docstring)."""
    gc.disable()


def resume_collector() -> None:
    """Keep what start-up made out of later collections, and collect automatically again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
