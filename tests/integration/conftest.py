"""Fixtures for tests that talk to the embedded Coze simulator over a real loopback socket."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from desktop.simulator import Simulator

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    """One zero-delay simulator per test module on a free loopback port."""
    sim = Simulator(delay_scale=0.0)
    sim.start(host="127.0.0.1", port=0)
    try:
        yield sim
    finally:
        sim.stop()
