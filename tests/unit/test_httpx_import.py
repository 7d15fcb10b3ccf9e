"""httpx is imported without its command-line tool (and so without rich and click)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
import desktop.api.client
import httpx
assert httpx.Client is not None
print(sorted(name for name in ("rich", "click", "httpx._main") if name in sys.modules))
print(httpx.main is sys.modules["httpx._main"].main)  # the stand-in's main
"""


def test_the_client_imports_httpx_without_rich_or_click() -> None:
    pytest.importorskip("rich")  # installed (import-linter needs it): httpx would import it
    pytest.importorskip("click")
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    names, stand_in_main = done.stdout.splitlines()
    assert names == "['httpx._main']"  # only the stand-in
    assert stand_in_main == "True"
