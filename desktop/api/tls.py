"""Which certificates the client trusts, and who issued a certificate it did not.

Trust: the operating system's certificate store (``truststore``, as pip does: Keychain on macOS,
the Windows certificate store, the system bundle on Linux), so a company's TLS-inspecting proxy
whose root certificate IT installed on the computer is trusted as the browsers trust it; plus
certifi's public bundle, so an old or empty system store still reaches Coze. Verification is
never turned off. Without ``truststore`` (not installed), certifi alone.

When verification fails, :func:`peer_issuer` names the issuer of the server's certificate for
the diagnosis: it opens a second connection that only performs a TLS handshake (nothing is sent
over it), reads the certificate and closes. The name comes from a small DER reader, so no
certificate library is needed.
"""

from __future__ import annotations

import functools
import socket
import ssl
from urllib.parse import urlsplit

import certifi

_UNTRUSTED_CODES = frozenset({2, 18, 19, 20, 21})  # no issuer / self-signed / unknown local CA
_NAME_OIDS = {b"\x55\x04\x03": "CN", b"\x55\x04\x0a": "O", b"\x55\x04\x0b": "OU"}
_PEEK_TIMEOUT = 5.0


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The client's TLS context: the system store and certifi (see the module)."""
    try:
        import truststore
    except ImportError:  # pragma: no cover - truststore is a dependency; a trimmed install
        return ssl.create_default_context(cafile=certifi.where())
    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=certifi.where())
    return context


def trust_source() -> str:
    """What :func:`ssl_context` trusts, for the doctor and the README's words."""
    try:
        import truststore  # noqa: F401 - only whether it is there
    except ImportError:  # pragma: no cover
        return "certifi"
    return "system store + certifi"


def is_untrusted(exc: BaseException) -> bool:
    """A verification failure because the issuer is unknown (not: expired, wrong host name)."""
    code = getattr(exc, "verify_code", None)  # set by the ssl module, not by a bare constructor
    return isinstance(exc, ssl.SSLCertVerificationError) and code in _UNTRUSTED_CODES


def peer_issuer(url: str, proxy: str | None = None) -> str:
    """``CN=Corp Inspection CA, O=Example`` for the certificate the server at ``url`` presents,
    or ``""`` when it cannot be read (through an HTTP proxy with CONNECT; never sending data)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    try:
        with _tunnel(host, port, proxy) as raw:
            peek = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            peek.check_hostname = False
            peek.verify_mode = ssl.CERT_NONE  # only to read who issued it; nothing is sent
            with peek.wrap_socket(raw, server_hostname=host or None) as tls:
                der = tls.getpeercert(binary_form=True)
    except (OSError, ValueError):
        return ""
    return issuer_of(der) if der else ""


def _tunnel(host: str, port: int, proxy: str | None) -> socket.socket:
    if not proxy or not proxy.startswith("http://"):
        return socket.create_connection((host, port), timeout=_PEEK_TIMEOUT)
    hop = urlsplit(proxy)
    sock = socket.create_connection((hop.hostname or "", hop.port or 8080), timeout=_PEEK_TIMEOUT)
    sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 16_384:
        piece = sock.recv(4096)
        if not piece:
            break
        head += piece
    if head.split(b" ", 2)[1:2] != [b"200"]:
        sock.close()
        raise OSError("the proxy refused the tunnel")
    return sock


# -- a minimal DER reader: Certificate -> tbsCertificate -> issuer Name ------------------------


def _item(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of the value, end of the value) of the DER item at ``at``."""
    tag, first = data[at], data[at + 1]
    at += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > len(data):
        raise ValueError("truncated DER")
    return tag, at, at + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    while start < end:
        item = _item(data, start)
        items.append(item)
        start = item[2]
    return items


def issuer_of(der: bytes) -> str:
    """The issuer's CN/O/OU of a DER certificate (``""`` if it cannot be read)."""
    try:
        _, cert_start, cert_end = _item(der, 0)
        _, tbs_start, tbs_end = _children(der, cert_start, cert_end)[0]
        fields = _children(der, tbs_start, tbs_end)
        if fields and fields[0][0] == 0xA0:  # [0] version
            fields = fields[1:]
        _, name_start, name_end = fields[2]  # serial, signature algorithm, issuer
        parts = []
        for _, set_start, set_end in _children(der, name_start, name_end):
            for _, seq_start, seq_end in _children(der, set_start, set_end):
                (_, oid_start, oid_end), (_, value_start, value_end) = _children(
                    der, seq_start, seq_end
                )[:2]
                label = _NAME_OIDS.get(der[oid_start:oid_end])
                if label:
                    parts.append(f"{label}={der[value_start:value_end].decode('utf-8', 'replace')}")
    except (IndexError, ValueError):
        return ""
    return ", ".join(parts)
