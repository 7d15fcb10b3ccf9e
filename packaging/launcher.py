"""Entry script of the frozen app (PyInstaller runs this file as ``__main__``).

A windowed build has no console: on Windows ``sys.stdout`` and ``sys.stderr`` are ``None``
there, and the first ``print`` or logging handler writing to them would kill the app on a
double-click. Give them a sink first, then run the same entry point as ``python -m desktop``.
"""

from __future__ import annotations

import os
import sys


def _give_streams_a_sink() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def main() -> int:
    """Run the app (GUI, CLI subcommand or ``--self-test``) and return its exit code."""
    _give_streams_a_sink()
    from desktop.__main__ import main as app_main

    return int(app_main() or 0)


if __name__ == "__main__":
    raise SystemExit(main())
