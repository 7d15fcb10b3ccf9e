"""Benchmark: ``coze-desktop chat`` streaming a 200,000-delta answer, the whole process, to a terminal.

    python -m tests.bench.bench_cli_stream [--rounds 5] [--deltas 200000] [--size 800000] [--pipe]

The simulator runs in its own process (``python -m desktop.simulator --delay-scale 0``, as in
``bench_stream``); its long bot answers with ``--deltas`` deltas of a ``--size``-character
markdown text. Three programs print that answer, each a fresh process timed from spawn to exit,
its stdout a pseudo-terminal (``--pipe``: a pipe) that this process reads:

* **ours** — the real entry point (``tests/bench/entry.py``) running
  ``chat --profile "Bench long" QUESTION``: a saved profile whose custom variables ask for the
  long answer, the token in ``COZE_API_TOKEN``, the history in a temporary home;
* **floor** — one script: ``httpx`` + ``httpx_sse.aconnect_sse`` + ``json.loads``, each
  answer delta written to ``sys.stdout`` (line-buffered on a terminal);
* **cozepy** — the official SDK (``AsyncCoze``), each answer delta written the same way.

Rounds rotate the order. Printed: medians of wall and CPU seconds (user + system of the child,
from ``wait4``), the terminal reads seen (about one per write the program flushed), ratios, the
goals (ours <= 1.0x the floor, <= 0.5x cozepy, wall time) and whether every program printed the
simulator's answer byte for byte (ours adds its follow-up lines after it).
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tty
from pathlib import Path
from typing import Any

from tests.bench import entry
from tests.bench.bench_stream import QUESTION, USER_ID, simulator

GOAL_FLOOR = 1.0
GOAL_COZEPY = 0.5
PROFILE = "Bench long"

FLOOR = """
import asyncio, json, sys
import httpx
from httpx_sse import aconnect_sse

async def main(url, token, bot, user, question, deltas, size):
    body = {"bot_id": bot, "user_id": user, "stream": True,
            "additional_messages": [{"role": "user", "content": question, "content_type": "text"}],
            "custom_variables": {"deltas": deltas, "size": size}}
    write = sys.stdout.write
    async with httpx.AsyncClient(timeout=120) as client:
        async with aconnect_sse(client, "POST", url + "/v3/chat", json=body,
                                headers={"Authorization": "Bearer " + token}) as source:
            async for sse in source.aiter_sse():
                data = json.loads(sse.data)
                if sse.event == "conversation.message.delta" and data.get("type") == "answer":
                    write(data["content"])
    write("\\n")

asyncio.run(main(*sys.argv[1:]))
"""

COZEPY = """
import asyncio, sys, warnings
warnings.simplefilter("ignore")
from cozepy import AsyncCoze, AsyncTokenAuth, ChatEventType, Message

async def main(url, token, bot, user, question, deltas, size):
    coze = AsyncCoze(auth=AsyncTokenAuth(token), base_url=url)
    write = sys.stdout.write
    stream = coze.chat.stream(bot_id=bot, user_id=user,
                              additional_messages=[Message.build_user_question_text(question)],
                              custom_variables={"deltas": deltas, "size": size})
    async for event in stream:
        if event.event == ChatEventType.CONVERSATION_MESSAGE_DELTA and event.message.type == "answer":
            write(event.message.content)
    write("\\n")

asyncio.run(main(*sys.argv[1:]))
"""


class Terminal:
    """A pseudo-terminal in raw mode (no ``\\n`` -> ``\\r\\n``) whose output a thread collects."""

    def __init__(self, use_pty: bool) -> None:
        if use_pty:
            self.read_fd, self.child_fd = pty.openpty()
            tty.setraw(self.child_fd)
        else:
            self.read_fd, self.child_fd = os.pipe()
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()

    def _collect(self) -> None:
        while True:
            try:
                data = os.read(self.read_fd, 1 << 16)
            except OSError:  # EIO: the terminal's last writer closed it
                break
            if not data:
                break
            self.chunks.append(data)

    def close(self) -> bytes:
        os.close(self.child_fd)
        self.thread.join(30)
        os.close(self.read_fd)
        return b"".join(self.chunks)


def run_child(cmd: list[str], env: dict[str, str], cwd: str, use_pty: bool) -> dict[str, Any]:
    term = Terminal(use_pty)
    err_path = Path(cwd) / "stderr.txt"
    with open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=term.child_fd, stderr=err,
                                stdin=subprocess.DEVNULL)  # fmt: skip
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reads = None
    out = term.close()
    reads = len(term.chunks)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} exited {proc.returncode}: {err_path.read_text()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "out": out, "reads": reads}


def saved_profile(home: str, url: str, args: argparse.Namespace) -> None:
    """The profile ``ours`` uses: the simulator's long bot, asked for the long answer."""
    from desktop import paths
    from desktop.simulator.bots import LONG_BOT_ID
    from desktop.storage import Database, Profile

    old = os.environ.get("COZE_DESKTOP_HOME")
    os.environ["COZE_DESKTOP_HOME"] = home
    try:
        db = Database.open(paths.db_path())
        db.profiles.add(Profile(name=PROFILE, region="custom", base_url=url, bot_id=LONG_BOT_ID,
                                user_id=USER_ID, custom_variables=variables(args)))  # fmt: skip
        db.close()
    finally:
        if old is None:
            os.environ.pop("COZE_DESKTOP_HOME", None)
        else:
            os.environ["COZE_DESKTOP_HOME"] = old


def variables(args: argparse.Namespace) -> dict[str, str]:
    return {"deltas": str(args.deltas), "size": str(args.size)}


def commands(url: str, env: dict[str, str]) -> dict[str, list[str]]:
    from desktop.simulator.bots import DEMO_TOKEN, LONG_BOT_ID

    ours, label = entry.real_entry(env)
    print(f"ours: {label}")
    return {
        "ours": [*ours, "chat", "--profile", PROFILE, QUESTION],
        "floor": [sys.executable, "-c", FLOOR, url, DEMO_TOKEN, LONG_BOT_ID, USER_ID, QUESTION],
        "cozepy": [sys.executable, "-c", COZEPY, url, DEMO_TOKEN, LONG_BOT_ID, USER_ID, QUESTION],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--deltas", type=int, default=200_000)
    parser.add_argument("--size", type=int, default=800_000)
    parser.add_argument("--pipe", action="store_true", help="stdout a pipe, not a terminal")
    args = parser.parse_args(argv)
    from desktop.simulator.bots import DEMO_TOKEN
    from desktop.simulator.scenarios import long_markdown

    expected = long_markdown(max(args.deltas, args.size)).encode()
    results: dict[str, list[dict[str, Any]]] = {}
    with simulator() as url, tempfile.TemporaryDirectory(prefix="coze-cli-") as home:
        saved_profile(home, url, args)
        env = entry.child_env(COZE_DESKTOP_HOME=home, PYTHONPYCACHEPREFIX=f"{home}/pycache")
        env["COZE_API_TOKEN"] = DEMO_TOKEN  # ours reads it; the scripts get it as an argument
        env["NO_COLOR"] = "1"
        cmds = commands(url, env)
        names = list(cmds)
        extras = [str(args.deltas), str(args.size)]
        print(f"{args.deltas:,} deltas, {len(expected):,} bytes; stdout a "
              f"{'pipe' if args.pipe else 'terminal'}; {args.rounds} rounds; "
              f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
        for name in names:  # untimed: bytecode caches, page cache
            run_child(cmds[name] + (extras if name != "ours" else []), env, home, not args.pipe)
        for i in range(args.rounds):
            order = names[i % len(names) :] + names[: i % len(names)]
            for name in order:
                cmd = cmds[name] + (extras if name != "ours" else [])
                results.setdefault(name, []).append(run_child(cmd, env, home, not args.pipe))
            print(f"  round {i + 1}: " + "  ".join(
                f"{n} {results[n][-1]['wall']:.2f}s/{results[n][-1]['cpu']:.2f}cpu" for n in names
            ), flush=True)  # fmt: skip
    return report(results, expected)


def report(results: dict[str, list[dict[str, Any]]], expected: bytes) -> int:
    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    print(f"\n{'median':<8} {'wall s':>8} {'CPU s':>8} {'reads':>8} {'wall/floor':>11} "
          f"{'CPU/floor':>10} {'wall/cozepy':>12}")  # fmt: skip
    for name in results:
        print(f"{name:<8} {med(name, 'wall'):8.2f} {med(name, 'cpu'):8.2f} "
              f"{med(name, 'reads'):8.0f} {med(name, 'wall') / med('floor', 'wall'):11.2f} "
              f"{med(name, 'cpu') / med('floor', 'cpu'):10.2f} "
              f"{med(name, 'wall') / med('cozepy', 'wall'):12.2f}")  # fmt: skip
    same = all(r["out"].startswith(expected + b"\n") for runs in results.values() for r in runs)
    outs = {r["out"] for r in results["ours"]}
    print(f"\nanswer byte for byte the simulator's, every program and round: {same}; "
          f"ours printed the same bytes every round: {len(outs) == 1}")  # fmt: skip
    floor = med("ours", "wall") / med("floor", "wall")
    cozepy = med("ours", "wall") / med("cozepy", "wall")
    print(f"ours/floor {floor:.2f}x (goal <= {GOAL_FLOOR}x) "
          f"{'met' if floor <= GOAL_FLOOR else 'MISSED'}; ours/cozepy {cozepy:.2f}x "
          f"(goal <= {GOAL_COZEPY}x) {'met' if cozepy <= GOAL_COZEPY else 'MISSED'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
