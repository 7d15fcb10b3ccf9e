"""The command-line interface: ``chat``, ``doctor``, ``bot``, ``conversations``, ``import``,
``profile``, ``sessions``, ``export`` and ``simulator``.

``main(argv)`` parses the arguments, runs the subcommand and returns the exit status. Problems
the user can fix (no profile, no token, a server or network failure) are printed in plain words
on stderr — never as a traceback. Set ``COZE_DESKTOP_DEBUG=1`` to see tracebacks of real bugs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from typing import TYPE_CHECKING

from desktop import __version__
from desktop.api.errors import CozeError
from desktop.cli import (
    bot_cmd,
    chat_cmd,
    conversations_cmd,
    doctor_cmd,
    misc_cmd,
    profile_cmd,
)
from desktop.cli.common import EXIT_FAILED, EXIT_INTERRUPTED, CliError, detect_lang, err
from desktop.logsetup import RedactFilter
from desktop.netlog import scrub_text

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coze-desktop",
        description="Coze Desktop: chat with Coze (扣子) bots. Without a command the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"coze-desktop {__version__}")
    parser.add_argument("--lang", choices=("en", "zh"), help="language of messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chat_cmd.add_parser(sub)
    doctor_cmd.add_parser(sub)
    bot_cmd.add_parser(sub)
    conversations_cmd.add_parsers(sub)
    profile_cmd.add_parser(sub)
    misc_cmd.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one CLI command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    lang = detect_lang(args.lang)
    _configure_logging()
    try:
        return int(args.func(args, lang))
    except CliError as exc:
        err(str(exc))
        return exc.code
    except CozeError as exc:
        err(exc.describe(lang))
        return EXIT_FAILED
    except KeyboardInterrupt:
        err("[stopped]")
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - storage, keyring or our own bug: plain words, no traceback
        return _unexpected(exc)


class _NoTraceback(logging.Formatter):
    """Log lines without tracebacks: the CLI explains failures itself."""

    def formatException(self, ei: object) -> str:  # noqa: ARG002 - logging.Formatter's override
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = ""
        return super().format(record).rstrip()


def _configure_logging() -> None:
    debug = bool(os.environ.get("COZE_DESKTOP_DEBUG"))
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter() if debug else _NoTraceback("%(message)s"))
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.WARNING)


def _unexpected(exc: Exception) -> int:
    """Report a failure nobody classified; whatever it quotes, a token is masked."""
    if os.environ.get("COZE_DESKTOP_DEBUG"):
        err(scrub_text(traceback.format_exc()).rstrip())
    err(scrub_text(f"Error: {exc}" if str(exc) else f"Error: {type(exc).__name__}"))
    return EXIT_FAILED
