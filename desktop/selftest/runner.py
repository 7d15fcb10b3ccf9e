"""``coze-desktop --self-test [--report PATH] [--require-keyring]``: prove an installed app works.

Runs offscreen (``QT_QPA_PLATFORM=offscreen`` unless already set) with ``COZE_DESKTOP_HOME`` in a
fresh temp dir, and checks, in order, what a double-click depends on:

- ``window``: the real composition root (``desktop.app.build`` with ``--demo``) builds the main
  window; it is shown and painted (start-up timings in ``startup``);
- ``translations``: the app's zh_CN catalogue and Qt's own qtbase zh_CN load and translate;
- ``storage``: the SQLite history opened in the temp dir (WAL, integrity check);
- ``keyring``: the backend keyring discovered; with a real one, a secret round-trips (under a
  separate service name, deleted afterwards);
- ``chat``: one demo turn typed into the composer and sent with the Send button, through the
  qasync loop (``AppLoop``), the controller, httpx and our SSE client, to the embedded simulator.

``--startup-probe`` stops after the first paint (``tests/bench/bench_bundle.py`` times start-up
with it; ``COZE_STARTUP_T0`` = the launcher's ``time.time()`` makes the timings cover process
creation too). Writes a JSON report (``--report PATH``, else ``coze-desktop-selftest-<pid>.json`` in the temp
dir), prints its path when there is a stdout, and exits 0 — or 1 naming the failed checks (2 if
the self-test itself crashed). Never writes to ``sys.stdout``/``sys.stderr`` when they are
``None`` (a windowed Windows build).
"""

from __future__ import annotations

import sys
import traceback
from typing import TYPE_CHECKING

from desktop.selftest.report import SelfTest, parse_args, say

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``--self-test``; returns the process exit code."""
    test = SelfTest(parse_args(sys.argv[1:] if argv is None else argv))
    test.prepare_environment()
    crash = ""
    try:
        from desktop.selftest.checks import run_checks

        run_checks(test)
    except BaseException as exc:  # noqa: BLE001 - the report must be written whatever happened
        crash = "".join(traceback.format_exception(exc, limit=10))
    path = test.write_report(crash)
    say(f"self-test report: {path}")
    if crash or test.failed():
        say("self-test FAILED: " + (", ".join(test.failed()) or crash.splitlines()[-1]), "stderr")
        return 2 if crash else 1
    test.cleanup()
    say("self-test passed: " + ", ".join(c.name for c in test.checks))
    return 0
