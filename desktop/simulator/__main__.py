"""``python -m desktop.simulator [--host H] [--port N] [--delay-scale X]``: serve until Ctrl+C."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING

from desktop.simulator.bots import BOTS, DEFAULT_PORT, DEMO_BOT_ID, DEMO_TOKEN, SCRIPTED_BOT_IDS
from desktop.simulator.server import Simulator

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


def banner(base_url: str) -> str:
    """What the command prints: where it listens, the demo token and the bot ids."""
    lines = [
        f"Coze simulator listening on {base_url}",
        f"  token:    {DEMO_TOKEN}",
        f"            (export COZE_API_TOKEN={DEMO_TOKEN})",
        f"  demo bot: {DEMO_BOT_ID} ({BOTS[DEMO_BOT_ID].name})",
        "  other bots:",
    ]
    lines += [
        f"    {bot_id}  {BOTS[bot_id].name}" for bot_id in SCRIPTED_BOT_IDS if bot_id != DEMO_BOT_ID
    ]
    lines.append(
        f"  try: curl -N {base_url}/v3/chat -H 'Authorization: Bearer {DEMO_TOKEN}' "
        f'-H \'Content-Type: application/json\' -d \'{{"bot_id":"{DEMO_BOT_ID}","user_id":"me",'
        '"stream":true,"additional_messages":[{"role":"user","content":"北京今天天气怎么样?",'
        '"content_type":"text"}]}\''
    )
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def serve(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    delay_scale: float = 1.0,
    out: Callable[[str], None] = print,
    stop_event: threading.Event | None = None,
) -> int:
    """Run a simulator until Ctrl+C (or *stop_event*); returns an exit code."""
    sim = Simulator(delay_scale=delay_scale)
    try:
        base_url = sim.start(host, port)
    except OSError as exc:
        out(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        return 2
    out(banner(base_url))
    try:
        (stop_event or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 = any free port"
    )
    parser.add_argument("--delay-scale", type=float, default=1.0, help="0 = no typing delays")
    args = parser.parse_args(argv)
    return serve(args.host, args.port, args.delay_scale, out=lambda s: print(s, flush=True))


if __name__ == "__main__":
    sys.exit(main())
