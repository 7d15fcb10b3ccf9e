"""Qt-free Coze OpenAPI client: SSE decoding, typed events, errors with diagnoses.

httpx's package imports its command-line tool on import (``httpx._main``), and that imports
rich and click whenever they happen to be installed: 20-80 ms more for every start of the
app and of every ``coze-desktop`` command, for a tool Coze Desktop never runs (the packaged app
leaves both out). Before httpx is first imported, a stand-in ``httpx._main`` is registered
with the same ``main`` httpx defines when the tool's dependencies are missing.
"""

from __future__ import annotations

import sys
import types


def _httpx_without_its_command_line() -> None:
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main", "httpx's command-line tool, not loaded.")

    def main() -> None:
        raise SystemExit("The httpx command-line tool is not part of Coze Desktop.")

    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in


_httpx_without_its_command_line()
