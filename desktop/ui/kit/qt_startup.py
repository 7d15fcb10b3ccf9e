"""Import Qt first (its support code from a cache), spare every later import PySide6's source
scan; and the first-frame rules.

The first-frame rules (how the window gets on screen fast; measured by
``tests/bench/bench_startup.py`` and ``bench_startup_instructions.py``, guarded by
``tests/ui/test_startup_imports.py``). Code on the way to the first frame is marked
"first-frame rule N" where it follows one:

1. Import nothing the first frame does not show. The backend (asyncio, httpx, keyring,
   qasync), the controller, the intents, the chat-row renderers, Pygments, the log dock, the
   welcome page and the typed answer parts load later: import them inside the function that
   first needs them, and under ``TYPE_CHECKING`` for annotations. The guard's
   ``NOT_BEFORE_THE_FIRST_FRAME`` lists them.
2. Do not touch the ``Qt`` namespace: PySide6 builds all its enums (20-35 ms) on first use,
   also when a call merely has an overload taking one. Set enum properties by key name
   (``desktop.ui.kit.widgets.set_by_name``), call ``QSplitter(parent=...)`` by keyword, set
   shortcuts as text, paint with int roles and the painter's own pen. The guard checks that
   ``Qt`` was not built.
3. Define few classes on the way: a dataclass costs about 1 ms to define. Records read before
   the first frame are named tuples or plain classes; the rest live in modules loaded later.
4. Make each widget inside its final parent, under the window's style sheet (set first):
   moving a styled widget styles it all over again.
5. Set what waits for the user when it is first needed: hover tracking when the mouse first
   enters, editable rows after the first paint, icons, cursors, dialogs when they first open.
6. Run without the cyclic garbage collector until the frame is painted (below).


PySide6 wraps ``__import__`` to support ``from __feature__ import snake_case``: after each new
module is imported it reads the module's whole source (``inspect.getsource``) to see whether it
mentions PySide6. Coze Desktop uses no ``__feature__``, and reading the ~150 sources imported on
the way to the first frame cost 30-80 ms of start-up (``tests/bench/bench_startup.py``). The
question is answered "yes" without reading: every module then gets the default feature set,
exactly what a module that uses PySide6 without ``__feature__`` gets. Where the hook looks
different (another PySide6 version), nothing is changed.

PySide6's own support code (the signature loader, which shiboken compiles from source at every
import: 15-30 ms) and the regular expressions it compiles as it loads (15-20 ms) are compiled
once and loaded from the app's cache dir afterwards (``desktop.ui.kit.support_cache``).

``desktop.app`` imports this module before anything else.

Start-up also runs without the cyclic garbage collector: ``python -m desktop`` (and the frozen
app) calls ``pause_collector`` once Qt is imported, ``desktop.app.main`` calls
``resume_collector`` after the first frame; from then on the collector runs on the GUI thread
only (``desktop.ui.kit.gui_collector``: a collection in another thread that met a Qt object
destroyed it there, and crashed or hung the app). Nearly every object made on the way there
lives as long as the app (about 45,000 tracked objects, of which about 100 are garbage), yet the
collector would walk them some 30 times: 5-10 ms. Resuming freezes them (``gc.freeze``), so
later collections, while answers stream, never walk them again either. What loads after the first
frame and also lives as long as the app (the answer renderer, Pygments and its lexers, httpx,
the demo's simulator) is frozen once more when the chat view has warmed up its renderer
(``settle_collector``): a full collection walking it all took 40-60 ms, a visible pause in the
middle of a stream (``tests/bench/bench_compare.py``), and now walks only what came since.
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from desktop.ui.kit.support_cache import app_support_cache

if TYPE_CHECKING:
    from types import ModuleType

with app_support_cache():
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
    """Keep what start-up made out of later collections, and collect again, on the GUI thread
    only (``desktop.ui.kit.gui_collector``)."""
    from desktop.ui.kit import gui_collector

    if gui_collector.running() is None:
        gc.freeze()
        gui_collector.start()


_settled = False
_held: tuple[int, ...] | None = None  # the thresholds while full collections are held
_NO_FULL_COLLECTION = 1 << 30  # young collections before a full one: never, in practice


def hold_full_collections(hold: bool) -> None:
    """While answers stream or render, the collector collects the young generations only: a
    full collection walks every object made since start-up was frozen, 10-50 ms in a comparison
    after a few turns (``tests/bench/bench_compare.py``), a visible pause in a stream. Released,
    the thresholds are the previous ones again and the next full collection comes as it would."""
    global _held
    if hold and _held is None:
        _held = gc.get_threshold()
        gc.set_threshold(_held[0], _held[1], _NO_FULL_COLLECTION)
    elif not hold and _held is not None:
        gc.set_threshold(*_held)
        _held = None


def settle_collector() -> None:
    """Start-up is over and the renderer is loaded: freeze what exists now, once."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()
