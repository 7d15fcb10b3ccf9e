"""A bytecode cache for PySide6's Python support code, which shiboken compiles at every start.

shiboken6 carries its support package (``shibokensupport``: the signature loader and parser,
the ``.pyi`` generator, the ``__feature__`` switch) as source in a zip embedded in its library,
and each import of PySide6 compiles those 14 modules, and the bootstrap that loads them, with
``compile()``: about 130,000 characters, 15-30 ms of every start (measure with a counting
``builtins.compile`` around ``import PySide6.QtWidgets``). PySide6's own remedy,
``SBK_EMBED=0``, unpacks the files into site-packages, which needs a writable installation and
changes it for every program using it.

``cached_support_bytecode`` puts a caching ``compile`` in ``builtins`` for the length of the
app's first PySide6 import (``desktop.ui.kit.qt_startup``). A source whose file name lies under
``shibokensupport/`` (or is the bootstrap's) is compiled once and its code object kept, keyed
by the source's hash, in one marshal file in the app's cache directory; later starts load the
code instead. The installation keeps a file of its own (``shipped_dir``): the frozen app's build
ships one in the bundle, and ``packaging/dev.sh`` compiles one into the Python environment it
installs into, so even a first start, with a new cache directory, loads it (as pip compiles
``.pyc`` files when it installs). A changed source (another PySide6) is compiled again;
any other compile is passed straight through; a missing, unreadable or foreign cache file only
means compiling as before. The file's name carries the interpreter's bytecode magic number, as
``.pyc`` files do, so another Python never reads it.

The same modules compile three long verbose regular expressions as they load (the ``.pyi``
generator's and the signature parser's: 15-20 ms). For the length of the import
``re._compiler.compile`` is a caching one too: a pattern compiled for the first time is kept as
the program the regular expression engine runs (``_sre.compile``'s arguments), and a later start
hands that program to the engine directly, which validates it as it does every program. The
file also records the engine's version (``_sre.MAGIC``): another one means compiling again.
"""

from __future__ import annotations

import builtins
import marshal
import os
import re
import sys
from contextlib import AbstractContextManager, contextmanager, suppress
from importlib.util import MAGIC_NUMBER, source_hash
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from desktop import paths

if TYPE_CHECKING:
    from collections.abc import Iterator

SUPPORT_PREFIX = "shibokensupport/"
BOOTSTRAP = "signature_bootstrap.py"  # the module that loads the package, compiled first
CACHE_NAME = f"shibokensupport-{MAGIC_NUMBER.hex()}.marshal"

_compile = builtins.compile  # the real one, whatever this module puts in builtins
_sre = re._compiler._sre  # type: ignore[attr-defined]  # the regular expression engine
_compile_pattern = re._compiler.compile  # type: ignore[attr-defined]
Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]  # less the pattern


class SupportCache:
    """The cached code objects and programs of the cache file at ``path`` (this start's new
    ones are written there) and of the read-only ones at ``shipped``, and what this start did
    with them."""

    def __init__(self, path: Path, *shipped: Path) -> None:
        self.path = path
        self.entries, self.programs = read_cache(path)
        found = [read_cache(place) for place in shipped]
        self._entry_sources = [self.entries, *(entries for entries, _ in found)]
        self._program_sources = [self.programs, *(programs for _, programs in found)]
        self.hits = 0
        self.compiled = 0
        self.pattern_hits = 0
        self.patterns_compiled = 0

    def compile(self, source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
        """``builtins.compile``, answered from the cache for the support modules' plain
        ``exec`` compiles."""
        plain = mode == "exec" and not args and not kwargs
        if not (plain and isinstance(filename, str) and is_support(filename)):
            return _compile(source, filename, mode, *args, **kwargs)
        data = source.encode() if isinstance(source, str) else source
        if not isinstance(data, bytes):
            return _compile(source, filename, mode)
        digest = source_hash(data)
        for entries in self._entry_sources:
            kept = entries.get(filename)
            if kept is not None and kept[0] == digest:
                self.entries[filename] = kept
                self.hits += 1
                return kept[1]
        code = _compile(source, filename, mode)
        self.entries[filename] = (digest, code)
        self.compiled += 1
        return code

    def compile_pattern(self, pattern: Any, flags: int = 0) -> Any:
        """``re._compiler.compile``, answered from the cache for a pattern seen before."""
        if not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
            return _compile_pattern(pattern, flags)
        key = (pattern, int(flags))  # a RegexFlag: marshal keeps plain ints only
        for programs in self._program_sources:
            kept = programs.get(key)
            if kept is None:
                continue
            with suppress(TypeError, ValueError, OverflowError, RuntimeError):  # a bad program
                compiled = _sre.compile(pattern, *kept)
                self.programs[key] = kept
                self.pattern_hits += 1
                return compiled
        engine = _ProgramWitness()
        re._compiler._sre = engine  # type: ignore[attr-defined]
        try:
            compiled = _compile_pattern(pattern, flags)
        finally:
            re._compiler._sre = _sre  # type: ignore[attr-defined]
        if engine.program is not None:
            self.programs[key] = engine.program
            self.patterns_compiled += 1
        return compiled

    def save(self) -> None:
        """Write what this start used when it compiled something (atomically; a file that
        cannot be written is left as it was)."""
        if not (self.compiled or self.patterns_compiled):
            return
        content = {"modules": self.entries, "patterns": self.programs, "sre": _sre.MAGIC}
        try:
            data = marshal.dumps(content)
        except ValueError:  # something marshal cannot keep: no cache this time
            return
        temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(data)
            os.replace(temp, self.path)
        except OSError:
            with suppress(OSError):
                temp.unlink(missing_ok=True)


def app_support_cache() -> AbstractContextManager[SupportCache | None]:
    """``cached_support_bytecode`` with the app's places: its cache directory, and the
    installation's (``desktop.ui.kit.qt_startup``; the frozen app's run-time hook)."""
    return cached_support_bytecode(paths.cache_dir(), shipped_dir())


def shipped_dir() -> Path:
    """Where the installation keeps the cache made when it was built or installed: a frozen
    app's bundle (``packaging/build.py``), else the Python environment's ``share/coze-desktop``
    (``packaging/ship_support_cache.py``, run by ``packaging/dev.sh`` after installing). The
    app reads it and never writes it."""
    bundle = getattr(sys, "_MEIPASS", None) if getattr(sys, "frozen", False) else None
    return Path(bundle) if bundle else Path(sys.prefix) / "share" / "coze-desktop"


def is_support(filename: str) -> bool:
    return filename.startswith(SUPPORT_PREFIX) or filename == BOOTSTRAP


class _ProgramWitness:
    """The engine as ``re._compiler`` sees it while a pattern is compiled: it keeps the program
    it is handed (and hands it on); everything else is the engine's own."""

    def __init__(self) -> None:
        self.program: Program | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(_sre, name)

    def compile(self, pattern: Any, flags: int, code: list[int], *rest: Any) -> Any:
        groups, groupindex, indexgroup = rest
        self.program = (
            int(flags),
            [int(op) for op in code],
            int(groups),
            dict(groupindex),
            tuple(indexgroup),
        )  # fmt: skip (named constants: plain ints)
        return _sre.compile(pattern, flags, code, *rest)


Cache = tuple[dict[str, tuple[bytes, CodeType]], dict[tuple[str | bytes, int], Program]]


def read_cache(path: Path) -> Cache:
    """The cache file's modules and patterns; none when it is missing, unreadable or not one
    of ours (its patterns: none when another engine wrote them)."""
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}, {}
    if not isinstance(loaded, dict):
        return {}, {}
    modules, patterns = loaded.get("modules"), loaded.get("patterns")
    entries = (
        {name: entry for name, entry in modules.items() if _is_entry(name, entry)}
        if isinstance(modules, dict)
        else {}
    )
    if not isinstance(patterns, dict) or loaded.get("sre") != _sre.MAGIC:
        return entries, {}
    return entries, {key: kept for key, kept in patterns.items() if _is_program(key, kept)}


def _is_entry(name: object, entry: object) -> bool:
    return (
        isinstance(name, str)
        and isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], bytes)
        and isinstance(entry[1], CodeType)
    )


def _is_program(key: object, kept: object) -> bool:
    return (
        isinstance(key, tuple)
        and len(key) == 2
        and isinstance(key[0], (str, bytes))
        and isinstance(key[1], int)
        and isinstance(kept, tuple)
        and len(kept) == 5
        and isinstance(kept[0], int)
        and isinstance(kept[1], list)
        and isinstance(kept[2], int)
        and isinstance(kept[3], dict)
        and isinstance(kept[4], tuple)
    )


@contextmanager
def cached_support_bytecode(
    directory: Path, shipped: Path | None = None
) -> Iterator[SupportCache | None]:
    """Within: the first import of PySide6 compiles its support modules through the cache in
    ``directory``, also reading the one the installation ``shipped``. Yields None, and changes
    nothing, when shiboken is already imported."""
    if "shiboken6.Shiboken" in sys.modules:
        yield None
        return
    also = [shipped / CACHE_NAME] if shipped is not None else []
    cache = SupportCache(directory / CACHE_NAME, *also)
    builtins.compile = cache.compile
    re._compiler.compile = cache.compile_pattern  # type: ignore[attr-defined]
    try:
        yield cache
    finally:
        builtins.compile = _compile
        re._compiler.compile = _compile_pattern  # type: ignore[attr-defined]
        cache.save()
