"""Network log: every HTTP exchange with Coze recorded as data, token masked, bounded in memory.

Records (:mod:`.records`), masking (:mod:`.masking`) and exports — copy-as-cURL, HAR 1.2, JSON
lines (:mod:`.export`) — are re-exported here; import from ``desktop.netlog``. The submodules are
imported on first use, so the logging set-up (which needs only the masking) stays cheap at start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.netlog.export import exchange_record, to_curl, to_har, to_jsonl
    from desktop.netlog.masking import (
        TokenShape,
        mask_authorization,
        mask_header,
        mask_token,
        mask_url_credentials,
        remember_secret,
        scrub_strings,
        scrub_text,
        token_shape,
    )
    from desktop.netlog.records import Exchange, Frame, NetLog

_HOMES = {
    "export": ("exchange_record", "to_curl", "to_har", "to_jsonl"),
    "masking": ("TokenShape", "mask_authorization", "mask_header", "mask_token",
                "mask_url_credentials", "remember_secret", "scrub_strings", "scrub_text",
                "token_shape"),
    "records": ("Exchange", "Frame", "NetLog"),
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "Exchange",
    "Frame",
    "NetLog",
    "TokenShape",
    "exchange_record",
    "mask_authorization",
    "mask_header",
    "mask_token",
    "mask_url_credentials",
    "remember_secret",
    "scrub_strings",
    "scrub_text",
    "to_curl",
    "to_har",
    "to_jsonl",
    "token_shape",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
