"""The CLI keeps the access token out of arguments, reprs, logs and errors; it honours the proxy setting."""

from __future__ import annotations

import argparse
import io
import logging
import sys
from typing import TYPE_CHECKING

import pytest

from desktop import paths
from desktop.cli import SUBCOMMANDS, entry
from desktop.cli.common import EXIT_FAILED, Target, make_client
from desktop.cli.entry import _configure_logging, _unexpected, build_parser, main
from desktop.cli.profile_cmd import read_token
from desktop.secrets import _PROBE_USER as PROBE_USER
from desktop.secrets import token_from_env
from desktop.settings import Settings, save_settings
from desktop.storage import Database, Profile

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import MemoryKeyring

TOKEN = "pat_" + "s3cr3t" * 11


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the CLI with its command path: (), ("chat",), ("profile", "add"), ..."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


# The only options that mention a token: switches, the token itself comes from stdin (``add``,
# ``set-token``; piped or typed at a hidden prompt) or from COZE_API_TOKEN.
TOKEN_SWITCHES = {("profile", "add"): "--no-token", ("profile", "set-token"): "--from-env"}


def test_no_cli_option_takes_a_token_value() -> None:
    parsers = dict(_parsers(build_parser()))
    assert {path[0] for path in parsers if path} == set(SUBCOMMANDS)  # every command was seen
    assert {("profile", "add"), ("profile", "set-token")} <= parsers.keys()
    token_options: dict[tuple[str, ...], str] = {}
    for path, parser in parsers.items():
        for action in parser._actions:
            words = [action.dest, *action.option_strings, action.help or "", str(action.metavar)]
            text = " ".join(words).lower()
            if "token" in text or "secret" in text or "pat_" in text:
                assert action.nargs == 0, f"{' '.join(path)} {action.option_strings} takes a value"
                token_options[path] = max(action.option_strings, key=len)
    assert token_options == TOKEN_SWITCHES


def test_a_token_is_read_from_stdin_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{TOKEN}\n"))
    assert read_token("en", required=True) == TOKEN
    assert token_from_env({"COZE_API_TOKEN": f" {TOKEN} "}) == TOKEN
    assert token_from_env({"COZE_API_TOKEN": " "}) is None


def test_cli_refuses_a_token_option() -> None:
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["profile", "set-token", "p", "--token", TOKEN])
    assert info.value.code == 2


def test_cli_target_repr_hides_the_token() -> None:
    target = Target(Profile(name="p"), TOKEN, stored=False)
    assert TOKEN not in repr(target)
    assert TOKEN not in str(target)


def test_unexpected_error_output_masks_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COZE_DESKTOP_DEBUG", "1")
    exc = ValueError(f"Invalid header value b'Bearer {TOKEN}'")
    try:
        raise exc
    except ValueError:
        status = _unexpected(exc)  # called while handling it, as the CLI does
    assert status == 1
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "Invalid header value" in err
    assert TOKEN not in err


@pytest.mark.usefixtures("restore_root_logger")
def test_cli_log_lines_mask_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    _configure_logging()
    log = logging.getLogger("desktop.test")
    log.warning("sent Authorization: Bearer %s", TOKEN)
    try:
        raise RuntimeError(TOKEN)
    except RuntimeError:
        log.exception("failed with %s", TOKEN)
    err = capsys.readouterr().err
    assert "sent Authorization" in err
    assert "failed with" in err
    assert TOKEN not in err


@pytest.mark.parametrize(
    ("mode", "url", "proxy", "trust_env"),
    [
        ("system", "", None, True),
        ("none", "", None, False),
        ("custom", "http://127.0.0.1:3128", "http://127.0.0.1:3128", True),
    ],
)
@pytest.mark.asyncio
async def test_cli_client_follows_the_proxy_setting(
    mode: str, url: str, proxy: str | None, trust_env: bool
) -> None:
    save_settings(None, Settings(proxy_mode=mode, proxy_url=url))  # type: ignore[arg-type]
    client = make_client("https://api.coze.cn", TOKEN)
    try:
        assert (client.config.proxy, client.config.trust_env) == (proxy, trust_env)
    finally:
        await client.aclose()


def _count_probes(keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The user names the CLI reads from ``keyring`` (the real store object the tests use)."""
    reads: list[str] = []
    real = keyring.get_password

    def counting(service: str, username: str) -> str | None:
        reads.append(username)
        return real(service, username)

    monkeypatch.setattr(keyring, "get_password", counting)
    return reads


@pytest.mark.parametrize("names", [["p"], ["p", "q"]], ids=["one", "compare"])
def test_a_missing_token_asks_the_keyring_once(
    names: list[str],
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Database.open(paths.db_path()) as db:
        ids = [db.profiles.add(Profile(name=n, base_url="http://127.0.0.1:9", bot_id="1")).id
               for n in names]  # fmt: skip
    reads = _count_probes(memory_keyring, monkeypatch)
    monkeypatch.setattr(entry, "_configure_logging", lambda: None)  # pytest's logging stays
    status = main(["chat", *(a for n in names for a in ("--profile", n)), "hi"])
    assert status == EXIT_FAILED
    message = capsys.readouterr().err
    assert "No access token is set for this profile." in message
    assert "Set COZE_API_TOKEN, or store one: coze-desktop profile set-token NAME" in message
    assert reads.count(PROBE_USER) == 1  # one probe of the keyring for the whole command
    assert [u for u in reads if u != PROBE_USER] == ids  # and each token read once
