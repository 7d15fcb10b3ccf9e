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
code instead. A changed source (another PySide6) is compiled again; any other compile is passed
straight through; a missing, unreadable or foreign cache file only means compiling as before.
The file's name carries the interpreter's bytecode magic number, as ``.pyc`` files do, so
another Python never reads it.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
from contextlib import contextmanager, suppress
from importlib.util import MAGIC_NUMBER, source_hash
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SUPPORT_PREFIX = "shibokensupport/"
BOOTSTRAP = "signature_bootstrap.py"  # the module that loads the package, compiled first
CACHE_NAME = f"shibokensupport-{MAGIC_NUMBER.hex()}.marshal"

_compile = builtins.compile  # the real one, whatever this module puts in builtins


class SupportCache:
    """The cached code objects of one cache file, and what this start did with them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries = read_entries(path)
        self.hits = 0
        self.compiled = 0

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
        kept = self.entries.get(filename)
        if kept is not None and kept[0] == digest:
            self.hits += 1
            return kept[1]
        code = _compile(source, filename, mode)
        self.entries[filename] = (digest, code)
        self.compiled += 1
        return code

    def save(self) -> None:
        """Write the cache when this start compiled something (atomically; a cache that
        cannot be written is left as it was)."""
        if not self.compiled:
            return
        temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(marshal.dumps(self.entries))
            os.replace(temp, self.path)
        except OSError:
            with suppress(OSError):
                temp.unlink(missing_ok=True)


def is_support(filename: str) -> bool:
    return filename.startswith(SUPPORT_PREFIX) or filename == BOOTSTRAP


def read_entries(path: Path) -> dict[str, tuple[bytes, CodeType]]:
    """The cache file's entries; none when it is missing, unreadable or not one of ours."""
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {name: entry for name, entry in loaded.items() if _is_entry(name, entry)}


def _is_entry(name: object, entry: object) -> bool:
    return (
        isinstance(name, str)
        and isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], bytes)
        and isinstance(entry[1], CodeType)
    )


@contextmanager
def cached_support_bytecode(directory: Path) -> Iterator[SupportCache | None]:
    """Within: the first import of PySide6 compiles its support modules through the cache in
    ``directory``. Yields None, and changes nothing, when shiboken is already imported."""
    if "shiboken6.Shiboken" in sys.modules:
        yield None
        return
    cache = SupportCache(directory / CACHE_NAME)
    builtins.compile = cache.compile
    try:
        yield cache
    finally:
        builtins.compile = _compile
        cache.save()
