"""Benchmark: one 200,000-delta answer from the simulator, received three ways in the same run.

    python -m tests.bench.bench_stream [--deltas 200000] [--size 800000] [--rounds 5] [--profile]

The simulator runs in its own process (zero delay, ``LONG_BOT_ID``) so it does not share the
GIL with the client being measured; every run opens a fresh HTTP connection on loopback.

* **floor**: ``httpx.AsyncClient`` + ``httpx_sse.aconnect_sse`` + ``json.loads`` of each data —
  the least work any Python client can do;
* **ours**: ``CozeClient.stream_chat`` (SSE decoder, typed events, netlog recording every frame)
  folded by the transcript reducer (``TurnState``); the answer is joined when the answer's
  ``conversation.message.completed`` arrives (as the final snapshot would) and read again at the
  end;
* **cozepy**: the official SDK, ``AsyncCoze`` + ``async for`` over ``chat.stream`` (and the
  sync ``Coze`` client as an extra row).

Clients run in a rotating order every round; the table shows medians. Goals: ours/floor <= 1.2,
ours/cozepy (async) <= 0.6, and ours' memory growth a small multiple of the answer's size beyond
the netlog's frame cap. The answer text must be identical for every client. With ``--profile``
(or when a goal is missed) one extra run of ours under cProfile prints the hot spots.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from httpx_sse import aconnect_sse

from desktop.api.client import ChatRequest, ClientConfig, CozeClient
from desktop.api.events import MESSAGE_DELTA, TYPE_ANSWER, MessageCompleted
from desktop.core.transcript import TurnState, reduce
from desktop.netlog import NetLog
from desktop.simulator.bots import DEMO_TOKEN, LONG_BOT_ID

GOAL_FLOOR = 1.2
GOAL_COZEPY = 0.6
GOAL_MEMORY = 5.0  # peak growth beyond the netlog frames, in multiples of the answer (as a str)
USER_ID = "bench-user"
QUESTION = "Write a very long answer"


@dataclass
class Result:
    """One client's run: wall time, events seen, the joined answer and anything kept alive."""

    wall: float
    events: int
    answer: str
    keep: Any = None
    cpu: float = 0.0  # this process's CPU seconds (the simulator runs in another process)


@dataclass
class Series:
    """Every round of one client."""

    name: str
    runs: list[Result] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def events(self) -> int:
        return self.runs[-1].events


# -- the simulator ---------------------------------------------------------------------------------


@contextlib.contextmanager
def simulator(delay_scale: float = 0) -> Iterator[str]:
    """The simulator in a child process at ``delay_scale`` (0: no delays, 1: the demo's pace);
    yields its base URL."""
    cmd = [sys.executable, "-m", "desktop.simulator", "--port", "0",
           "--delay-scale", str(delay_scale)]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "Coze simulator listening on http://127.0.0.1:N"
        if "http://" not in first:
            raise RuntimeError(f"the simulator did not start: {first!r}")
        yield first.split()[-1]
    finally:
        proc.terminate()
        proc.wait(10)


def variables(args: argparse.Namespace) -> dict[str, str]:
    return {"deltas": str(args.deltas), "size": str(args.size)}


# -- the three clients -----------------------------------------------------------------------------


async def run_floor(url: str, cvars: dict[str, str]) -> Result:
    """httpx + httpx-sse + json.loads: the least a Python client can do."""
    body = {
        "bot_id": LONG_BOT_ID,
        "user_id": USER_ID,
        "stream": True,
        "additional_messages": [{"role": "user", "content": QUESTION, "content_type": "text"}],
        "custom_variables": cvars,
    }
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    parts: list[str] = []
    events = 0
    start = time.perf_counter()
    async with (
        httpx.AsyncClient(timeout=120) as client,
        aconnect_sse(client, "POST", f"{url}/v3/chat", json=body, headers=headers) as source,
    ):
        async for sse in source.aiter_sse():
            data = json.loads(sse.data)
            events += 1
            if sse.event == MESSAGE_DELTA and data.get("type") == TYPE_ANSWER:
                parts.append(data["content"])
    answer = "".join(parts)
    return Result(time.perf_counter() - start, events, answer)


async def run_ours(url: str, cvars: dict[str, str]) -> Result:
    """CozeClient.stream_chat -> TurnState, with the default NetLog recording every frame."""
    netlog = NetLog()
    config = ClientConfig(base_url=url, token=DEMO_TOKEN, max_retries=0)
    req = ChatRequest(bot_id=LONG_BOT_ID, user_id=USER_ID, text=QUESTION, custom_variables=cvars)
    state = TurnState()
    streamed: str | None = None
    start = time.perf_counter()
    async with (
        CozeClient(config, netlog=netlog) as client,
        contextlib.aclosing(client.stream_chat(req)) as stream,
    ):
        async for event in stream:
            if streamed is None and type(event) is MessageCompleted:
                streamed = state.answer  # the deltas, joined (before completed replaces them)
            reduce(state, event)
    final = state.answer
    wall = time.perf_counter() - start
    if streamed is not None and streamed != final:
        final = f"<deltas and completed text differ: {len(streamed)} vs {len(final)} chars>"
    events = netlog.exchanges()[-1].event_count
    return Result(wall, events, final, keep=(state, netlog))


async def run_cozepy(url: str, cvars: dict[str, str]) -> Result:
    """The official SDK, async: ``AsyncCoze().chat.stream`` (an async generator in 0.20)."""
    from cozepy import AsyncCoze, AsyncTokenAuth

    coze = AsyncCoze(auth=AsyncTokenAuth(DEMO_TOKEN), base_url=url)
    answer = CozepyAnswer()
    async for event in coze.chat.stream(**cozepy_request(cvars)):
        answer.add(event)
    return answer.result()


async def run_cozepy_sync(url: str, cvars: dict[str, str]) -> Result:
    """The official SDK, sync ``Coze().chat.stream`` (run as is: it blocks the loop)."""
    from cozepy import Coze, TokenAuth

    coze = Coze(auth=TokenAuth(DEMO_TOKEN), base_url=url)
    answer = CozepyAnswer()
    for event in coze.chat.stream(**cozepy_request(cvars)):
        answer.add(event)
    return answer.result()


def cozepy_request(cvars: dict[str, str]) -> dict[str, Any]:
    """The arguments of ``chat.stream`` for the benchmark's question (both cozepy clients)."""
    from cozepy import Message

    return {
        "bot_id": LONG_BOT_ID,
        "user_id": USER_ID,
        "additional_messages": [Message.build_user_question_text(QUESTION)],
        "custom_variables": cvars,
    }


class CozepyAnswer:
    """Counts cozepy events and joins the answer deltas' text, timed from creation."""

    def __init__(self) -> None:
        from cozepy import ChatEventType

        self.delta = ChatEventType.CONVERSATION_MESSAGE_DELTA
        self.events = 0
        self.parts: list[str] = []
        self.start = time.perf_counter()

    def add(self, event: Any) -> None:
        self.events += 1
        message = event.message
        if event.event == self.delta and message is not None and message.type == "answer":
            self.parts.append(message.content)

    def result(self) -> Result:
        return Result(time.perf_counter() - self.start, self.events, "".join(self.parts))


Runner = Callable[[str, dict[str, str]], Any]
CLIENTS: dict[str, Runner] = {
    "floor": run_floor,
    "ours": run_ours,
    "cozepy": run_cozepy,
    "cozepy-sync": run_cozepy_sync,
}


# -- measuring -------------------------------------------------------------------------------------


def run_once(runner: Runner, url: str, cvars: dict[str, str]) -> Result:
    cpu0 = time.process_time()
    result: Result = asyncio.run(runner(url, cvars))
    result.cpu = time.process_time() - cpu0
    return result


def run_rounds(names: list[str], rounds: int, url: str, cvars: dict[str, str]) -> dict[str, Series]:
    """Every client once per round, in a rotating order (no client always runs first)."""
    series = {name: Series(name) for name in names}
    for i in range(rounds):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            series[name].runs.append(run_once(CLIENTS[name], url, cvars))
        print(
            f"  round {i + 1}/{rounds}: "
            + "  ".join(f"{name} {series[name].runs[-1].wall:.3f}s" for name in names),
            flush=True,
        )
    return series


def rss_bytes() -> int:
    """Current resident set size (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


@dataclass
class Memory:
    """ours' memory for one turn (bytes); the answer's size as a Python str and as UTF-8."""

    peak: int
    retained: int
    netlog: int
    frames_kept: int
    frames_dropped: int
    rss_growth: int
    answer_mem: int
    answer_utf8: int


def measure_memory(url: str, cvars: dict[str, str]) -> Memory:
    """ours once with tracemalloc (peak and retained) and once plain (RSS growth)."""
    rss0 = rss_bytes()
    plain = run_once(run_ours, url, cvars)
    rss_growth = rss_bytes() - rss0
    del plain
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    traced = run_once(run_ours, url, cvars)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ex = traced.keep[1].exchanges()[-1]
    answer = traced.answer
    return Memory(
        peak=peak - base,
        retained=current - base,
        netlog=netlog_bytes(ex.kept_frames()),
        frames_kept=ex.kept_count,
        frames_dropped=ex.frames_dropped,
        rss_growth=rss_growth,
        answer_mem=sys.getsizeof(answer),
        answer_utf8=len(answer.encode()),
    )


def netlog_bytes(frames: list[tuple[float, str, str]]) -> int:
    """Bytes held by the netlog's recorded frames (list, tuples, floats and strings)."""
    seen: set[int] = set()
    total = sys.getsizeof(frames)
    for frame in frames:
        for obj in (frame, *frame):
            if id(obj) not in seen:
                seen.add(id(obj))
                total += sys.getsizeof(obj)
    return total


def profile_ours(url: str, cvars: dict[str, str], top: int) -> None:
    """One run of ours under cProfile; prints the functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    run_once(run_ours, url, cvars)
    profiler.disable()
    print(f"\ncProfile of ours (top {top} by own time; the simulator is another process):")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)


# -- reporting -------------------------------------------------------------------------------------


def print_table(series: dict[str, Series]) -> None:
    floor = series.get("floor")
    print(
        f"\n{'client':<12} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'events':>8} "
        f"{'events/s':>10} {'x floor':>8} {'cpu x floor':>11}"
    )
    for s in series.values():
        walls = [r.wall for r in s.runs]
        ratio = f"{s.wall / floor.wall:8.2f}" if floor else f"{'-':>8}"
        cpu_ratio = f"{s.cpu / floor.cpu:11.2f}" if floor else f"{'-':>11}"
        print(
            f"{s.name:<12} {s.wall:9.3f} {min(walls):7.3f} {max(walls):7.3f} {s.cpu:7.3f} "
            f"{s.events:8d} {s.events / s.wall:10,.0f} {ratio} {cpu_ratio}"
        )


def check_answers(series: dict[str, Series]) -> bool:
    """True when every run of every client produced the same answer text."""
    answers = {r.answer for s in series.values() for r in s.runs}
    sizes = {s.name: len(s.runs[-1].answer) for s in series.values()}
    print(f"\nanswer identical across clients and rounds: {len(answers) == 1} (chars: {sizes})")
    return len(answers) == 1


def goals(series: dict[str, Series], memory: Memory | None) -> list[str]:
    """Print each goal with its verdict; return the names of the missed ones."""
    ours = series["ours"].wall
    missed: list[str] = []
    checks = [
        ("ours/floor", "floor", GOAL_FLOOR),
        ("ours/cozepy (async)", "cozepy", GOAL_COZEPY),
        ("ours/cozepy (sync)", "cozepy-sync", GOAL_COZEPY),
    ]
    print()
    for label, name, goal in checks:
        if name in series:
            ratio = ours / series[name].wall
            ok = ratio <= goal
            missed += [] if ok else [label]
            print(f"{label:<22} {ratio:6.2f}x  (goal <= {goal}x)  {'met' if ok else 'MISSED'}")
    if memory is not None and not print_memory(memory):
        missed.append("memory")
    return missed


def print_memory(m: Memory) -> bool:
    """Print the memory figures; True when the growth beyond the netlog frames meets the goal."""
    mib = 1024 * 1024
    beyond = m.peak - m.netlog
    ratio = beyond / m.answer_mem
    ok = ratio <= GOAL_MEMORY
    print(
        f"\nmemory of ours (answer: {m.answer_mem / mib:.2f} MiB as a Python str, "
        f"{m.answer_utf8 / mib:.2f} MiB UTF-8):"
    )
    rows = [
        ("tracemalloc peak growth", m.peak, f"{m.peak / m.answer_mem:.1f}x answer"),
        ("retained after the turn", m.retained, "TurnState + NetLog still alive"),
        (
            "  of which netlog frames",
            m.netlog,
            f"{m.frames_kept:,} frames kept, {m.frames_dropped:,} dropped from the middle (NetLog max_frames)",
        ),
        (
            "peak beyond netlog frames",
            beyond,
            f"{ratio:.1f}x answer; goal <= {GOAL_MEMORY:g}x  {'met' if ok else 'MISSED'}",
        ),
        ("RSS growth (plain run)", m.rss_growth, "allocator-dependent, for reference"),
    ]
    for label, value, note in rows:
        print(f"  {label:<27} {value / mib:8.2f} MiB  ({note})")
    return ok


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deltas", type=int, default=200_000)
    parser.add_argument("--size", type=int, default=800_000, help="answer characters")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated subset")
    parser.add_argument("--profile", action="store_true", help="always print the cProfile")
    parser.add_argument("--top", type=int, default=18, help="profile rows")
    parser.add_argument("--no-memory", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    names = [n for n in args.clients.split(",") if n in CLIENTS]
    cvars = variables(args)
    print(
        f"{args.deltas:,} deltas, {args.size:,} answer chars, {args.rounds} rounds, "
        f"clients: {', '.join(names)}"
    )
    with simulator() as url:
        run_once(run_floor, url, cvars)  # warm-up: imports, the simulator's first turn
        series = run_rounds(names, args.rounds, url, cvars)
        print_table(series)
        same = check_answers(series)
        memory = None if args.no_memory else measure_memory(url, cvars)
        missed = goals(series, memory) if "ours" in series else []
        if args.profile or missed:
            profile_ours(url, cvars, args.top)
    print(f"\ngoals: {'all met' if not missed else 'missed: ' + ', '.join(missed)}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
