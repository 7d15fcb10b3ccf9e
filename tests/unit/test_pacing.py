"""``OnePerPass``: concurrent callers go on one per pass of the event loop, in order."""

from __future__ import annotations

import asyncio

from desktop.core.pacing import OnePerPass


class PassCounter:
    """Counts passes of the running loop: a callback that schedules itself again."""

    def __init__(self) -> None:
        self.passes = 0
        self._stopped = False

    def start(self) -> None:
        asyncio.get_running_loop().call_soon(self._tick)

    def _tick(self) -> None:
        if not self._stopped:
            self.passes += 1
            asyncio.get_running_loop().call_soon(self._tick)

    def stop(self) -> None:
        self._stopped = True


def test_callers_of_one_pass_go_on_in_later_passes_one_each_in_order() -> None:
    async def scenario() -> list[tuple[str, int]]:
        gate, counter, through = OnePerPass(), PassCounter(), []
        counter.start()

        async def caller(name: str) -> None:
            await gate()
            through.append((name, counter.passes))

        await asyncio.gather(*(caller(name) for name in "abcd"))
        counter.stop()
        return through

    through = asyncio.run(scenario())
    assert [name for name, _ in through] == list("abcd")
    passes = [seen for _, seen in through]
    assert len(set(passes)) == 4  # never two in the same pass
    assert passes == sorted(passes)


def test_a_lone_caller_is_not_delayed_and_a_cancelled_waiter_gives_up_its_place() -> None:
    async def scenario() -> tuple[bool, list[str]]:
        gate, through = OnePerPass(), []
        first = asyncio.ensure_future(gate())
        await asyncio.sleep(0)
        lone_done = first.done()
        for _ in range(2):  # two passes later: the lone caller's pass is over, the gate free
            await asyncio.sleep(0)

        async def caller(name: str) -> None:
            await gate()
            through.append(name)

        tasks = [asyncio.ensure_future(caller(name)) for name in "xyz"]
        await asyncio.sleep(0)  # x goes through; y and z wait
        tasks[1].cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return lone_done, through

    lone_done, through = asyncio.run(scenario())
    assert lone_done
    assert through == ["x", "z"]
