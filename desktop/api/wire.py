"""Coze JSON -> frozen msgspec Structs: one strict typed decode, a lenient retry when it fails.

Hosted Coze, Coze Studio and the docs disagree on shapes: ids arrive as numbers or strings,
timestamps as numbers or numeric strings, fields go missing or are ``null``, and a stray
``Infinity`` or ``1e999`` is possible. The common case is a single typed msgspec decode (all C).
When the types do not match, the JSON is decoded again by the standard library (which also takes
``NaN``/``Infinity``) and every field is coerced by its declared type: ids become strings, numbers
that are no integers become 0, ``null`` or a wrong shape means the field's default. Unknown keys
are always ignored. Nothing here raises on bad input: a payload that is not a JSON object is None.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from msgspec import inspect as mi

# Another spelling of a field, read when the usual name is absent (the docs' usage schematic).
ALIASES = {"output_count": "output_tokens", "input_count": "input_tokens"}

# A string that must not be empty: ``""`` takes the lenient path, which uses the default instead.
NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]


class Wire(msgspec.Struct, frozen=True, gc=False):
    """Base of every decoded Coze object (subclasses say ``frozen=True, kw_only=True``: kw_only
    is not inherited, and type checkers want frozen restated). Not tracked by the garbage
    collector: it holds only strings, numbers and other wire objects, never a cycle."""


# What a strict decode raises on bad input (ValidationError is a DecodeError; absurd nesting is
# a RecursionError; text with a lone surrogate has no UTF-8 form).
DECODE_ERRORS = (msgspec.DecodeError, RecursionError, UnicodeError)
_MISSING: Any = object()
_DECODERS: dict[type, msgspec.json.Decoder[Any]] = {}
_FIELDS: dict[type, tuple[mi.Field, ...]] = {}


def decoder[W: msgspec.Struct](cls: type[W]) -> msgspec.json.Decoder[W]:
    """The shared strict decoder of ``cls``."""
    found = _DECODERS.get(cls)
    if found is None:
        found = _DECODERS[cls] = msgspec.json.Decoder(cls)
    return found


def decode[W: msgspec.Struct](cls: type[W], data: str | bytes) -> W | None:
    """JSON text as a ``cls``; None when it is not a JSON object."""
    try:
        return decoder(cls).decode(utf8(data))
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


def as_str(value: Any) -> str:
    """Ids arrive as strings or numbers; ``None`` means absent."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def as_int(value: Any) -> int:
    """Timestamps and codes arrive as ints, numeric strings, floats (even inf) or not at all."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0


# -- the lenient path ------------------------------------------------------------------------------


def _build[W: msgspec.Struct](cls: type[W], obj: dict[str, Any]) -> W:
    kwargs: dict[str, Any] = {}
    for field in _fields(cls):
        value = obj.get(field.encode_name, _MISSING)
        if value is _MISSING and field.name in ALIASES:
            value = obj.get(ALIASES[field.name], _MISSING)
        if value is not _MISSING:
            value = _coerce(field.type, value)
        if value is not _MISSING:
            kwargs[field.name] = value
    return cls(**kwargs)


def _fields(cls: type) -> tuple[mi.Field, ...]:
    found = _FIELDS.get(cls)
    if found is None:
        info = mi.type_info(cls)
        assert isinstance(info, mi.StructType)
        found = _FIELDS[cls] = info.fields
    return found


def _coerce(kind: mi.Type, value: Any) -> Any:
    """``value`` as ``kind``, or ``_MISSING`` for "use the field's default"."""
    if value is None:
        return None if _nullable(kind) else _MISSING
    if isinstance(kind, mi.UnionType):  # ``X | None``: the value is not None here
        return _coerce(next(t for t in kind.types if not isinstance(t, mi.NoneType)), value)
    convert_value = _COERCERS.get(type(kind))
    return value if convert_value is None else convert_value(kind, value)


def _nullable(kind: mi.Type) -> bool:
    return isinstance(kind, mi.UnionType) and any(isinstance(t, mi.NoneType) for t in kind.types)


def _str(kind: mi.StrType, value: Any) -> Any:
    text = as_str(value)
    return text if len(text) >= (kind.min_length or 0) else _MISSING


def _tuple(kind: mi.VarTupleType, value: Any) -> Any:
    if not isinstance(value, list):
        return _MISSING
    items = (_coerce(kind.item_type, item) for item in value)
    return tuple(item for item in items if item is not _MISSING)


_COERCERS: dict[type, Callable[[Any, Any], Any]] = {
    mi.StrType: _str,
    mi.IntType: lambda _, value: as_int(value),
    mi.BoolType: lambda _, value: bool(value),
    mi.StructType: lambda kind, value: _build(kind.cls, value) if type(value) is dict else _MISSING,
    mi.VarTupleType: _tuple,
    mi.DictType: lambda _, value: value if type(value) is dict else _MISSING,
}
