"""Entry point: ``coze-desktop`` / ``python -m desktop``.

With a subcommand (``chat``, ``doctor``, ``bot``, ``conversations``, ``import``, ``profile``,
``export``, ``simulator``) the CLI runs and
Qt is never imported. Otherwise the desktop window opens (``--demo`` talks to the built-in
simulator).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

_CLI_FLAGS = ("-h", "--help", "--version")
_OPTIONS_WITH_VALUE = ("--lang", "--theme", "--screenshot", "--scene")


def wants_cli(argv: Sequence[str]) -> bool:
    """True when ``argv`` names a subcommand (or asks for help/version)."""
    from desktop.cli import SUBCOMMANDS

    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif arg in _CLI_FLAGS:
            return True
        elif not arg.startswith("-"):
            return arg in SUBCOMMANDS
    return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_cli(args):
        from desktop.cli.entry import main as cli_main

        return cli_main(args)
    if "--self-test" in args:  # checks an installed copy; builds the app itself
        from desktop.selftest.runner import main as self_test

        return self_test(args)
    return run_gui(args)


def run_gui(argv: list[str]) -> int:
    try:
        from desktop.ui.kit import qt_startup

        qt_startup.pause_collector()  # until the first frame (desktop.app.main resumes it)
        import desktop.app as app
    except ImportError as exc:
        sys.stderr.write(
            "The desktop window is not available in this installation "
            f'({exc}).\nUse a command instead, e.g.: coze-desktop chat --demo "你好" '
            "(see coze-desktop --help).\n"
        )
        return 2
    return int(app.main(argv) or 0)


if __name__ == "__main__":
    sys.exit(main())
