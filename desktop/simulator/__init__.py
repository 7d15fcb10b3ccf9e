"""A Coze-compatible HTTP server on loopback: the demo bot and the test double.

>>> from desktop.simulator import Simulator, DEMO_BOT_ID, DEMO_TOKEN
>>> with Simulator(delay_scale=0) as sim:   # doctest: +SKIP
...     print(sim.base_url)

The catalogue of bots (ids, faults) lives in :mod:`desktop.simulator.bots`.
"""

from desktop.simulator.bots import (
    DEFAULT_PORT,
    DEMO_BOT_ID,
    DEMO_TOKEN,
    DEMO_USER_ID,
    ECHO_BOT_ID,
    FILES_BOT_ID,
    LONG_BOT_ID,
    SLOW_BOT_ID,
    TOOL_BOT_ID,
)
from desktop.simulator.server import RequestRecord, Simulator

__all__ = [
    "DEFAULT_PORT",
    "DEMO_BOT_ID",
    "DEMO_TOKEN",
    "DEMO_USER_ID",
    "ECHO_BOT_ID",
    "FILES_BOT_ID",
    "LONG_BOT_ID",
    "SLOW_BOT_ID",
    "TOOL_BOT_ID",
    "RequestRecord",
    "Simulator",
]
