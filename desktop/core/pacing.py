"""One caller per pass of the event loop: heavy steps of concurrent turns, spread out.

Several turns run at once in a comparison, and the streams of the same long answer end at
about the same moment: their final saves (each re-indexes the whole answer for search) would
then all run in one pass of the event loop, and the window would wait for all of them. A turn
awaits ``OnePerPass`` before its final save instead: the first caller of a pass goes on at
once, the others in the following passes, one each, in order. Qt-free (plain asyncio).
"""

from __future__ import annotations

import asyncio
from collections import deque


class OnePerPass:
    """``await gate()`` returns at once for the first caller of a loop pass, later for others."""

    def __init__(self) -> None:
        self._taken = False
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def __call__(self) -> None:
        loop = asyncio.get_running_loop()
        if not self._taken and not self._waiters:
            self._take(loop)
            return
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)
        await waiter  # resolved in a later pass, which is then this caller's

    def _take(self, loop: asyncio.AbstractEventLoop) -> None:
        self._taken = True
        loop.call_soon(self._release, loop)  # callbacks added now run in the next pass

    def _release(self, loop: asyncio.AbstractEventLoop) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # a cancelled waiter gave up its place
                waiter.set_result(None)
                self._take(loop)
                return
        self._taken = False
