"""Import Qt first, and spare every later import PySide6's source scan.

PySide6 wraps ``__import__`` to support ``from __feature__ import snake_case``: after each new
module is imported it reads the module's whole source (``inspect.getsource``) to see whether it
mentions PySide6. Coze Desktop uses no ``__feature__``, and reading the ~150 sources imported on
the way to the first frame cost 30-80 ms of start-up (``tests/bench/bench_startup.py``). The
question is answered "yes" without reading: every module then gets the default feature set,
exactly what a module that uses PySide6 without ``__feature__`` gets. Where the hook looks
different (another PySide6 version), nothing is changed.

``desktop.app`` imports this module before anything else.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (installs the import hook tamed below)

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
