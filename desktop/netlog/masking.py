"""Token masking for the network log: the secret is hidden at write time, its *shape* is kept.

Credentials inside URLs (a proxy like ``http://user:secret@proxy:8080``) are masked too
(:func:`mask_url_credentials`), and :func:`scrub_text` masks both kinds inside any text. It is
the project's one scrubber: the log, exports, error messages and the CLI's output all use it.

The shape matters for troubleshooting: "the header has a trailing newline" or "the token does not
start with pat_" explains many 4100 errors, so :func:`token_shape` reports it without revealing
the token (only a short prefix, the last four characters and the length are shown).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

_SENSITIVE_HEADERS = frozenset({"cookie", "set-cookie", "proxy-authorization", "x-api-key"})
# personal/service access tokens and JWT-like strings (an OAuth access or id token)
_TOKEN_RE = re.compile(r"(?:pat_|sat_)[A-Za-z0-9_\-]{6,}|eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_.\-]+")
# The credential after "Bearer": up to whitespace or a quote/delimiter of the text around it (a
# JSON string, a shell word), so masking never eats the text's own syntax. A value that is
# already masked ("pat_…abcd (len 69)") or a shell variable ("$COZE_API_TOKEN") is left alone.
_BEARER_RE = re.compile(r"(Bearer\s+)(?![^\s\"'\\]*…)(?!\$)([^\s\"'\\,;]+)", re.IGNORECASE)
# scheme://user[:password]@ — the userinfo of a URL (no "/", "@" or whitespace inside it)
_USERINFO_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)([^\s/@:?#]*)(?::([^\s/@?#]*))?@")
MASK = "***"
# The access tokens this process sends, by value: masked wherever they appear, whatever their
# shape (an OAuth token without pat_, a token a server echoes back in a header or a frame).
_secrets: tuple[str, ...] = ()  # replaced whole, never changed in place: threads read it
_MIN_SECRET = 8  # shorter values would mask ordinary words; such tokens fail long before
_MAX_SECRETS = 64


class TokenShape(NamedTuple):
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


def remember_secret(value: str) -> None:
    """Mask ``value`` (an access token in use) in every text :func:`scrub_text` sees from now
    on, whatever its shape. Called by the client that sends it."""
    global _secrets
    secret = value.strip()
    if len(secret) >= _MIN_SECRET and secret not in _secrets:
        _secrets = (*_secrets[-(_MAX_SECRETS - 1) :], secret)


def mask_known_secrets(text: str) -> str:
    """``text`` with every token in use (:func:`remember_secret`) masked."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, mask_token(secret))
    return text


def mask_header(name: str, value: str) -> str:
    """The value to record for a header: Authorization masked, cookies hidden, and the others
    scrubbed (a server may echo the token back in any header)."""
    lowered = name.lower()
    if lowered == "authorization":
        return mask_authorization(value)
    if lowered in _SENSITIVE_HEADERS:
        return "(hidden)"
    return scrub_text(value)


def _mask_userinfo(match: re.Match[str]) -> str:
    user, password = match.group(2), match.group(3)
    if password is None:  # a lone user name may itself be the secret (an API key as user)
        return f"{match.group(1)}{MASK}@"
    return f"{match.group(1)}{user}:{MASK}@"


def mask_url_credentials(url: str) -> str:
    """``http://user:secret@proxy:8080`` -> ``http://user:***@proxy:8080``.

    The password is always hidden; a user name without a password is hidden too (some proxies
    take a key as the user name). URLs without credentials come back unchanged; so does a
    masked URL (masking twice is harmless). A bare ``user:secret@host:port`` is treated as http.
    """
    if "@" not in url:
        return url
    if "://" not in url:
        return mask_url_credentials("http://" + url).removeprefix("http://")
    return _USERINFO_RE.sub(_mask_userinfo, url)


def scrub_text(text: str) -> str:
    """Mask the tokens in use (:func:`remember_secret`), token-shaped strings (a server may echo
    the header back) and URL credentials. Masking a masked text changes nothing."""
    if _secrets:
        text = mask_known_secrets(text)
    if "@" in text and "://" in text:
        text = _USERINFO_RE.sub(_mask_userinfo, text)
    if "pat_" not in text and "sat_" not in text and "earer" not in text and "eyJ" not in text:
        return text  # fast path: nothing that could be a token
    text = _BEARER_RE.sub(lambda m: m.group(1) + mask_token(m.group(2)), text)
    return _TOKEN_RE.sub(lambda m: mask_token(m.group(0)), text)


def scrub_strings(value: Any) -> Any:
    """``value`` (a JSON-like structure) with :func:`scrub_text` applied to every string in it,
    keys included: structured data is masked before it is encoded, never the encoded text."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {scrub_strings(k): scrub_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_strings(v) for v in value]
    return value
