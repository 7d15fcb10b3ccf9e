"""Coze JSON -> frozen msgspec Structs: one strict typed decode, a lenient retry when it fails.

Hosted Coze, Coze Studio and the docs disagree on shapes (ids as numbers or strings, timestamps
as numeric strings, missing fields, ``null``; a stray ``Infinity`` or ``1e999``). The common case
is one typed msgspec decode, all in C. When the types do not match, the standard library decodes
the JSON again (it also takes ``NaN``/``Infinity``) and each field is coerced by its declared type;
``null`` or a wrong shape means the field's default. Unknown keys are ignored. Nothing here raises
on bad input: a payload that is not a JSON object is None.
"""

from __future__ import annotations

import contextlib
import functools
import json
from typing import Annotated, Any, cast

import msgspec
from msgspec import inspect as mi

# Another spelling of a field, read when the usual name is absent (the docs' usage schematic).
ALIASES = {"output_count": "output_tokens", "input_count": "input_tokens"}

# A string that must not be empty: ``""`` takes the lenient path, which uses the default instead.
NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]


class Wire(msgspec.Struct, frozen=True, gc=False):
    """Base of every decoded Coze object (subclasses say ``frozen=True, kw_only=True``: kw_only
    is not inherited, and type checkers want frozen restated). Not tracked by the garbage
    collector: it holds only values decoded from JSON, which never refer back to it."""


# What a strict decode raises on bad input (ValidationError is a DecodeError; absurd nesting is
# a RecursionError; text with a lone surrogate has no UTF-8 form).
DECODE_ERRORS = (msgspec.DecodeError, RecursionError, UnicodeError)
_MISSING: Any = object()


@functools.cache
def decoder[W: msgspec.Struct](cls: type[W]) -> msgspec.json.Decoder[W]:
    """The shared strict decoder of ``cls``."""
    return msgspec.json.Decoder(cls)


def decode[W: msgspec.Struct](cls: type[W], data: str | bytes) -> W | None:
    """JSON text as a ``cls``; None when it is not a JSON object."""
    try:
        strict: msgspec.json.Decoder[W] = decoder(cls)  # functools.cache forgets the type
        return strict.decode(utf8(data))
    except DECODE_ERRORS:  # wrong types, 1e999, not JSON at all
        obj = json_object(data)
        return None if obj is None else _build(cls, obj)


def convert[W: msgspec.Struct](cls: type[W], obj: Any) -> W | None:
    """An already decoded JSON value as a ``cls``; None when it is not an object."""
    if not isinstance(obj, dict):
        return None
    try:
        return msgspec.convert(obj, cls)
    except DECODE_ERRORS:
        return _build(cls, obj)


def json_object(data: str | bytes) -> dict[str, Any] | None:
    """The JSON object in ``data``, or None (not JSON, or not an object)."""
    try:
        value = msgspec.json.decode(utf8(data))
    except DECODE_ERRORS:
        try:
            value = json.loads(data)  # NaN, Infinity and 1e999 (as floats) are fine here
        except (ValueError, RecursionError):
            return None
    return value if isinstance(value, dict) else None


def utf8(text: str | bytes) -> str | bytes:
    """``text`` as msgspec should get it: a non-ASCII str as UTF-8 bytes, because decoding the
    str itself makes CPython keep a UTF-8 copy inside it (and the netlog keeps these strings)."""
    if isinstance(text, bytes) or text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid, decided later


# -- the lenient path ------------------------------------------------------------------------------


def _build[W: msgspec.Struct](cls: type[W], obj: dict[str, Any]) -> W:
    kwargs: dict[str, Any] = {}
    for field in _fields(cls):
        value = obj.get(field.encode_name, _MISSING)
        if value is _MISSING and field.name in ALIASES:
            value = obj.get(ALIASES[field.name], _MISSING)
        if value is not _MISSING and (value := _coerce(field.type, value)) is not _MISSING:
            kwargs[field.name] = value
    return cls(**kwargs)


@functools.cache
def _fields(cls: type) -> tuple[mi.Field, ...]:
    return cast("mi.StructType", mi.type_info(cls)).fields


def _coerce(kind: mi.Type, value: Any) -> Any:
    """``value`` as ``kind``, or ``_MISSING`` for "use the field's default"."""
    if isinstance(kind, mi.UnionType):  # only ``X | None`` here
        if value is None:
            return None
        kind = next(t for t in kind.types if not isinstance(t, mi.NoneType))
    if value is None:
        return _MISSING
    if isinstance(kind, mi.StrType):  # ids arrive as strings or numbers
        text = value if isinstance(value, str) else str(value)
        return text if len(text) >= (kind.min_length or 0) else _MISSING
    if isinstance(kind, mi.IntType):  # ints, numeric strings, floats (even inf and nan)
        with contextlib.suppress(TypeError, ValueError, OverflowError):
            return int(value)
        return 0
    if isinstance(kind, mi.BoolType):
        return bool(value)
    if isinstance(kind, mi.StructType):
        return _build(kind.cls, value) if type(value) is dict else _MISSING
    if isinstance(kind, mi.VarTupleType):
        items = (_coerce(kind.item_type, item) for item in value) if type(value) is list else None
        return _MISSING if items is None else tuple(i for i in items if i is not _MISSING)
    if isinstance(kind, mi.DictType):
        return value if type(value) is dict else _MISSING
    return value  # Any
