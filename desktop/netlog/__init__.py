"""Network log: every HTTP exchange with Coze recorded as data, token masked, bounded in memory.

Records (:mod:`.records`), masking (:mod:`.masking`) and exports — copy-as-cURL, HAR 1.2, JSON
lines (:mod:`.export`) — are re-exported here; import from ``desktop.netlog``.
"""

from desktop.netlog.export import exchange_record, to_curl, to_har, to_jsonl
from desktop.netlog.masking import (
    TokenShape,
    mask_authorization,
    mask_header,
    mask_token,
    mask_url_credentials,
    scrub_text,
    token_shape,
)
from desktop.netlog.records import Exchange, Frame, NetLog

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
    "scrub_text",
    "to_curl",
    "to_har",
    "to_jsonl",
    "token_shape",
]
