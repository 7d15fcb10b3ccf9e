"""Run-time hook of the frozen app, run before PyInstaller's own PySide6 hook.

PyInstaller's PySide6 run-time hook imports ``PySide6.QtCore`` at every start of the bundle,
before the app's code runs, to see whether an embedded ``qt.conf`` exists. That first import
is where shiboken compiles its support modules, so the app's own cache for them
(``desktop.ui.kit.support_cache``, used by ``desktop.ui.kit.qt_startup`` in an installed app)
must already be in place: this hook makes that first import go through it.
"""


def _qt_through_the_support_cache() -> None:
    try:
        from desktop.ui.kit.support_cache import app_support_cache
    except ImportError:  # a bundle without the desktop package: nothing to do
        return
    with app_support_cache():
        import PySide6.QtCore  # noqa: F401


_qt_through_the_support_cache()
del _qt_through_the_support_cache
