"""Token masking for the network log: the secret is hidden at write time, its *shape* is kept.

The shape matters for troubleshooting: "the header has a trailing newline" or "the token does not
start with pat_" explains many 4100 errors, so :func:`token_shape` reports it without revealing
the token (only a short prefix, the last four characters and the length are shown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENSITIVE_HEADERS = frozenset({"cookie", "set-cookie", "proxy-authorization", "x-api-key"})
_TOKEN_RE = re.compile(r"(?:pat_|sat_)[A-Za-z0-9_\-]{6,}")
_BEARER_RE = re.compile(r"(Bearer\s+)(\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class TokenShape:
    """How an ``Authorization`` header looked, with the secret masked.

    ``problem``: ``""`` (fine), ``"whitespace"`` (spaces or line breaks around/inside the token),
    ``"no Bearer"`` (the header does not start with ``Bearer``), ``"not pat_"`` (not a personal
    access token — fine for OAuth access tokens, so ``well_formed`` stays True for it).
    """

    masked: str
    length: int
    well_formed: bool
    problem: str


def _prefix(token: str) -> str:
    underscore = token.find("_")
    if 0 < underscore <= 6:
        return token[: underscore + 1]
    return ""


def mask_token(value: str) -> str:
    """``pat_…abcd (len 69)``: a prefix, the last four characters (long tokens only), the length."""
    token = value.strip()
    if not token:
        return "(empty)"
    tail = token[-4:] if len(token) >= 16 else ""
    return f"{_prefix(token)}…{tail} (len {len(token)})"


def _split_authorization(value: str) -> tuple[bool, str]:
    """(has a ``Bearer`` scheme, the credential part)."""
    stripped = value.strip()
    scheme, _, rest = stripped.partition(" ")
    if scheme.lower() == "bearer":
        return True, rest.strip()
    return False, stripped


def mask_authorization(value: str) -> str:
    """``Bearer pat_x…`` -> ``Bearer pat_…abcd (len 69)``; a header without Bearer is masked whole."""
    has_bearer, token = _split_authorization(value)
    masked = mask_token(token)
    return f"Bearer {masked}" if has_bearer else masked


def _problem(value: str, has_bearer: bool, token: str) -> str:
    if value != value.strip():
        return "whitespace"
    if not has_bearer or not value.startswith("Bearer "):
        return "no Bearer"
    if any(ch.isspace() for ch in token) or "  " in value:
        return "whitespace"
    if not token.startswith("pat_"):
        return "not pat_"
    return ""


def token_shape(authorization: str) -> TokenShape:
    """Describe an ``Authorization`` header value without revealing the token."""
    has_bearer, token = _split_authorization(authorization)
    problem = _problem(authorization, has_bearer, token)
    return TokenShape(
        masked=mask_authorization(authorization),
        length=len(token),
        well_formed=problem in ("", "not pat_"),
        problem=problem,
    )


def mask_header(name: str, value: str) -> str:
    """The value to record for a header: Authorization masked, cookies hidden, others as is."""
    lowered = name.lower()
    if lowered == "authorization":
        return mask_authorization(value)
    if lowered in _SENSITIVE_HEADERS:
        return "(hidden)"
    return value


def scrub_text(text: str) -> str:
    """Mask token-shaped strings inside a body (a server may echo the header back)."""
    if "pat_" not in text and "sat_" not in text and "earer" not in text:
        return text  # fast path: nothing that could be a token
    text = _BEARER_RE.sub(lambda m: m.group(1) + mask_token(m.group(2)), text)
    return _TOKEN_RE.sub(lambda m: mask_token(m.group(0)), text)
