"""The application's asyncio loop: qasync's Qt loop plus the async-generator hooks it lacks.

qasync never calls ``sys.set_asyncgen_hooks``. httpx/httpx-sse streams are chains of async
generators; without the hooks an abandoned stream (Stop, cancellation) is finalised by the
garbage collector and logs "async generator ignored GeneratorExit" instead of closing the
socket. asyncio's own hooks, installed while the loop runs, fix that.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

import qasync

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def asyncgen_hooks(loop: qasync.QEventLoop) -> Iterator[None]:
    """Install ``loop``'s asyncgen hooks for the duration of the block, then restore the old ones."""
    old = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,
        finalizer=loop._asyncgen_finalizer_hook,
    )
    try:
        yield
    finally:
        sys.set_asyncgen_hooks(*old)


class AppLoop(qasync.QEventLoop):  # type: ignore[misc]  # qasync has no type information
    """qasync ``QEventLoop`` whose ``run_forever`` installs asyncio's async-generator hooks."""

    def run_forever(self) -> None:
        with asyncgen_hooks(self):
            super().run_forever()
