"""PySide6's support modules are compiled once and their code kept in the app's cache: a later
start loads it, a changed source is compiled again, and a damaged cache costs only a compile."""

from __future__ import annotations

import builtins
import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.ui.kit import support_cache
from desktop.ui.kit.support_cache import CACHE_NAME, SupportCache, cached_support_bytecode

SOURCE = b"ANSWER = 6 * 7\n"
NAME = "shibokensupport/signature/example.py"


def run_code(code: object) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(code, namespace)
    return namespace


def test_a_support_module_is_compiled_once_then_loaded(tmp_path: Path) -> None:
    first = SupportCache(tmp_path / CACHE_NAME)
    assert run_code(first.compile(SOURCE, NAME, "exec"))["ANSWER"] == 42
    assert (first.hits, first.compiled) == (0, 1)
    first.save()

    second = SupportCache(tmp_path / CACHE_NAME)
    code = second.compile(SOURCE, NAME, "exec")
    assert (second.hits, second.compiled) == (1, 0)
    assert run_code(code)["ANSWER"] == 42
    assert code.co_filename == NAME


def test_a_changed_source_is_compiled_again_and_replaces_the_old_code(tmp_path: Path) -> None:
    first = SupportCache(tmp_path / CACHE_NAME)
    first.compile(SOURCE, NAME, "exec")
    first.save()
    changed = SupportCache(tmp_path / CACHE_NAME)
    assert run_code(changed.compile(b"ANSWER = 43\n", NAME, "exec"))["ANSWER"] == 43
    assert (changed.hits, changed.compiled) == (0, 1)
    changed.save()
    assert run_code(SupportCache(tmp_path / CACHE_NAME).compile(b"ANSWER = 43\n", NAME, "exec"))


def test_other_compiles_pass_through_and_are_not_kept(tmp_path: Path) -> None:
    cache = SupportCache(tmp_path / CACHE_NAME)
    assert eval(cache.compile("1 + 1", "<string>", "eval")) == 2
    assert run_code(cache.compile(SOURCE, "mine/example.py", "exec"))["ANSWER"] == 42
    flagged = cache.compile(SOURCE, NAME, "exec", 0, True)  # not the plain call: passed on
    assert run_code(flagged)["ANSWER"] == 42
    assert (cache.hits, cache.compiled, cache.entries) == (0, 0, {})
    cache.save()
    assert not (tmp_path / CACHE_NAME).exists()  # nothing compiled: nothing written


PATTERN = r"""
    (?P<name> [a-z_]+ )   # a name
    \s* = \s*
    (?P<value> \d+ )      # its value
"""


def test_a_pattern_is_compiled_once_then_given_to_the_engine_as_it_was_compiled(
    tmp_path: Path,
) -> None:
    first = SupportCache(tmp_path / CACHE_NAME)
    compiled = first.compile_pattern(PATTERN, re.VERBOSE)
    assert (first.pattern_hits, first.patterns_compiled) == (0, 1)
    first.save()

    second = SupportCache(tmp_path / CACHE_NAME)
    loaded = second.compile_pattern(PATTERN, re.VERBOSE)
    assert (second.pattern_hits, second.patterns_compiled) == (1, 0)
    assert loaded is not compiled
    assert (loaded.pattern, loaded.flags, loaded.groups, loaded.groupindex) == (
        compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex)  # fmt: skip
    for text in ("answer = 42", "x=1 y = 2", "no match here", "= 7"):
        assert [m.groupdict() for m in loaded.finditer(text)] == [
            m.groupdict() for m in compiled.finditer(text)]  # fmt: skip
    assert loaded.search("answer = 42").group("value") == "42"  # type: ignore[union-attr]


def test_patterns_are_kept_by_their_text_type_and_flags(tmp_path: Path) -> None:
    cache = SupportCache(tmp_path / CACHE_NAME)
    words = cache.compile_pattern(r"\w+", 0)
    ascii_words = cache.compile_pattern(r"\w+", re.ASCII)
    byte_words = cache.compile_pattern(rb"\w+", 0)
    cache.save()
    again = SupportCache(tmp_path / CACHE_NAME)
    assert again.compile_pattern(r"\w+", 0).findall("天气 ok") == words.findall("天气 ok")
    assert again.compile_pattern(r"\w+", re.ASCII).findall("天气 ok") == ["ok"]
    assert ascii_words.findall("天气 ok") == ["ok"]
    assert again.compile_pattern(rb"\w+", 0).findall(b"a b") == byte_words.findall(b"a b")
    assert again.pattern_hits == 3


def test_a_damaged_program_or_another_engines_is_compiled_again(tmp_path: Path) -> None:
    cache = SupportCache(tmp_path / CACHE_NAME)
    cache.compile_pattern(PATTERN, re.VERBOSE)
    key = (PATTERN, int(re.VERBOSE))
    flags, code, *rest = cache.programs[key]
    cache.programs[key] = (flags, [99_999, *code[1:]], *rest)  # type: ignore[assignment]
    cache.save()
    damaged = SupportCache(tmp_path / CACHE_NAME)
    compiled = damaged.compile_pattern(PATTERN, re.VERBOSE)  # the engine refuses it
    assert (damaged.pattern_hits, damaged.patterns_compiled) == (0, 1)
    assert compiled.search("a = 1").group("value") == "1"  # type: ignore[union-attr]

    content = marshal.loads((tmp_path / CACHE_NAME).read_bytes())
    (tmp_path / CACHE_NAME).write_bytes(marshal.dumps({**content, "sre": content["sre"] + 1}))
    assert SupportCache(tmp_path / CACHE_NAME).programs == {}


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00garbage", marshal.dumps([1, 2]), marshal.dumps({NAME: (b"x", "not code")})],
    ids=["empty", "garbage", "a list", "a wrong entry"],
)
def test_a_damaged_or_foreign_cache_file_only_means_compiling(
    tmp_path: Path, content: bytes
) -> None:
    (tmp_path / CACHE_NAME).write_bytes(content)
    cache = SupportCache(tmp_path / CACHE_NAME)
    assert cache.entries == {}
    assert run_code(cache.compile(SOURCE, NAME, "exec"))["ANSWER"] == 42
    cache.save()
    assert SupportCache(tmp_path / CACHE_NAME).entries.keys() == {NAME}  # rewritten whole


def test_a_cache_that_cannot_be_written_is_left_alone(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the directory would go")
    cache = SupportCache(blocker / CACHE_NAME)
    cache.compile(SOURCE, NAME, "exec")
    cache.save()  # no exception
    assert blocker.read_text() == "a file where the directory would go"
    assert list(tmp_path.iterdir()) == [blocker]


def test_a_shipped_cache_is_read_and_never_written(tmp_path: Path) -> None:
    """A frozen build ships a cache in the bundle: a start loads from it and writes nothing,
    and what the shipped file lacks is compiled into the app's own cache only."""
    shipped, own = tmp_path / "bundle" / CACHE_NAME, tmp_path / "home" / CACHE_NAME
    build = SupportCache(shipped)
    build.compile(SOURCE, NAME, "exec")
    build.save()
    shipped_at = shipped.stat().st_mtime_ns

    start = SupportCache(own, shipped)
    assert run_code(start.compile(SOURCE, NAME, "exec"))["ANSWER"] == 42
    assert (start.hits, start.compiled) == (1, 0)
    start.save()
    assert not own.exists()  # everything came from the bundle

    other = "shibokensupport/signature/other.py"
    later = SupportCache(own, shipped)
    later.compile(SOURCE, NAME, "exec")
    later.compile(b"OTHER = 1\n", other, "exec")  # not in the bundle
    later.save()
    assert shipped.stat().st_mtime_ns == shipped_at
    assert SupportCache(own).entries.keys() == {NAME, other}  # all this start used


def test_a_stale_own_cache_gives_way_to_a_current_shipped_one(tmp_path: Path) -> None:
    own, shipped = tmp_path / "home" / CACHE_NAME, tmp_path / "bundle" / CACHE_NAME
    old = SupportCache(own)
    old.compile(b"ANSWER = 1\n", NAME, "exec")  # an earlier bundle's PySide6
    old.save()
    build = SupportCache(shipped)
    build.compile(SOURCE, NAME, "exec")
    build.save()
    start = SupportCache(own, shipped)
    assert run_code(start.compile(SOURCE, NAME, "exec"))["ANSWER"] == 42
    assert (start.hits, start.compiled) == (1, 0)


def test_the_installation_keeps_its_cache_in_the_environment_or_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert support_cache.shipped_dir() == tmp_path / "venv" / "share" / "coze-desktop"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    assert support_cache.shipped_dir() == tmp_path / "bundle"


def test_with_shiboken_already_imported_nothing_is_changed(tmp_path: Path) -> None:
    import PySide6.QtCore  # noqa: F401  (as in every test process)

    with cached_support_bytecode(tmp_path) as cache:
        assert cache is None
        assert builtins.compile is support_cache._compile
        assert re._compiler.compile is support_cache._compile_pattern  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


FRESH_START = """
import builtins, json, re, sys
from pathlib import Path
from desktop.ui.kit.support_cache import cached_support_bytecode, _compile, _compile_pattern
shipped = Path(sys.argv[2]) if len(sys.argv) > 2 else None
with cached_support_bytecode(Path(sys.argv[1]), shipped) as cache:
    from PySide6.QtCore import QSize
from shibokensupport.signature import get_signature
try:
    QSize(1, "x")
except TypeError as exc:
    error = str(exc)
print(json.dumps({
    "hits": cache.hits, "compiled": cache.compiled,
    "pattern_hits": cache.pattern_hits, "patterns_compiled": cache.patterns_compiled,
    "restored": builtins.compile is _compile and re._compiler.compile is _compile_pattern,
    "signature": str(get_signature(QSize.scaled)),
    "error": error,
}))
"""


def fresh_start(cache_dir: Path, *shipped: Path) -> dict[str, object]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", FRESH_START, str(cache_dir), *map(str, shipped)],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(out.stdout.splitlines()[-1])
    return result


def test_a_second_start_loads_pyside6s_support_code_from_the_cache(tmp_path: Path) -> None:
    first = fresh_start(tmp_path)
    assert first["hits"] == 0
    assert isinstance(first["compiled"], int)
    assert first["compiled"] >= 10
    assert (tmp_path / CACHE_NAME).is_file()

    assert isinstance(first["patterns_compiled"], int)
    assert first["patterns_compiled"] >= 3  # the .pyi generator's and the parser's

    second = fresh_start(tmp_path)
    assert (second["hits"], second["compiled"]) == (first["compiled"], 0)
    assert (second["pattern_hits"], second["patterns_compiled"]) == (first["patterns_compiled"], 0)
    assert second["restored"] is True
    # PySide6's signature support works from the cached code as from its own compile
    assert second["signature"] == first["signature"]
    assert "AspectRatioMode" in str(second["signature"])
    assert second["error"] == first["error"]
    assert "Supported signatures" in str(second["error"])


def test_a_first_start_loads_the_cache_its_installation_compiled(tmp_path: Path) -> None:
    """``packaging/ship_support_cache.py`` (run by ``packaging/dev.sh`` and the frozen build)
    compiles the cache into the installation; a start with a new cache directory compiles
    nothing and writes nothing."""
    installed, home = tmp_path / "share", tmp_path / "home"
    script = Path(__file__).resolve().parents[2] / "packaging" / "ship_support_cache.py"
    subprocess.run([sys.executable, str(script), str(installed)], timeout=120, check=True)
    assert (installed / CACHE_NAME).is_file()

    first = fresh_start(home, installed)
    assert first["compiled"] == first["patterns_compiled"] == 0
    assert isinstance(first["hits"], int)
    assert first["hits"] >= 10
    assert isinstance(first["pattern_hits"], int)
    assert first["pattern_hits"] >= 3
    assert "AspectRatioMode" in str(first["signature"])
    assert not home.exists()
