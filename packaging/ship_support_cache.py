"""Compile PySide6's support code into the installation's cache (``desktop.ui.kit.support_cache``).

    python packaging/ship_support_cache.py [DIRECTORY]

DIRECTORY defaults to where this Python's installed app looks (``shipped_dir``: the
environment's ``share/coze-desktop``); ``packaging/build.py`` passes the frozen bundle's
folder. Run it with the Python and PySide6 the app runs on: the cache is theirs. An app whose
installation has it loads PySide6's support code at its first start instead of compiling it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.ui.kit.support_cache import cached_support_bytecode, shipped_dir


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else shipped_dir()
    with cached_support_bytecode(directory) as cache:
        import PySide6.QtCore  # noqa: F401  (the import that compiles the support code)
    if cache is None:
        sys.stderr.write("PySide6 was imported before the cache was set\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
