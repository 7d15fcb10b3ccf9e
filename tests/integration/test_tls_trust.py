"""TLS trust: the operating system's certificate store (a company CA installed there is trusted),
certifi as well, verification never off, and an untrusted certificate's issuer named."""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import TYPE_CHECKING

import certifi
import pytest
import trustme

from desktop.api import tls
from desktop.api.client import ChatRequest, ClientConfig, CozeClient
from desktop.api.errors import CozeError, TLSError
from desktop.api.events import MessageDelta
from tests.integration import hostile
from tests.integration.test_cli import run

if TYPE_CHECKING:
    from pathlib import Path

TOKEN = "pat_tlstest0123456789abcdef"


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _company_ca() -> trustme.CA:
    return trustme.CA(organization_name="Example Corp Inspection")


async def _chat(url: str) -> str:
    config = ClientConfig(base_url=url, token=TOKEN, trust_env=False, max_retries=1)
    async with CozeClient(config) as client:
        parts = [
            event.message.content
            async for event in client.stream_chat(ChatRequest("1", "u", "hi"))
            if isinstance(event, MessageDelta)
        ]
    return "".join(parts)


def _finished_chat() -> hostile.Script:
    return hostile.echo_header("x-note", "fine")


def test_a_ca_in_the_system_store_is_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = _company_ca()
    bundle = tmp_path / "system-store.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # where OpenSSL's system store is read
    with hostile.HostileServer(_finished_chat(), tls=_server_context(ca)) as url:
        assert asyncio.run(_chat(url)) == "hi"


def test_an_untrusted_certificate_names_its_issuer() -> None:
    ca = _company_ca()
    server = hostile.HostileServer(_finished_chat(), tls=_server_context(ca))
    with server as url, pytest.raises(CozeError) as caught:
        asyncio.run(_chat(url))
    error = caught.value
    assert isinstance(error, TLSError)
    assert error.diagnosis.key == "tls_untrusted"
    assert "issued by O=Example Corp Inspection" in error.msg
    assert "certificate store" in error.diagnosis.fix("en")


def test_the_cli_prints_the_untrusted_issuer(isolated_home: Path) -> None:
    ca = _company_ca()
    with hostile.HostileServer(_finished_chat(), tls=_server_context(ca)) as url:
        proc = run(isolated_home, "chat", "--base-url", url, "--bot-id", "1", "hi", token=TOKEN)
    assert proc.returncode == 1
    assert "does not trust the server's certificate" in proc.stderr
    assert "Example Corp Inspection" in proc.stderr


def test_verification_is_on_and_certifi_is_trusted_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = tls.ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert tls.trust_source() == "system store + certifi"
    ca = _company_ca()  # a CA only certifi's bundle holds (not the system store)
    bundle = tmp_path / "certifi.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setattr(certifi, "where", lambda: str(bundle))
    fresh = tls.ssl_context.__wrapped__()
    with hostile.HostileServer(_finished_chat(), tls=_server_context(ca)) as url:
        port = int(url.rsplit(":", 1)[1])
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
            fresh.wrap_socket(raw, server_hostname="127.0.0.1") as conn,
        ):
            assert conn.version()


def test_the_issuer_reader_reads_a_der_certificate() -> None:
    ca = _company_ca()
    leaf = ca.issue_cert("example.test")
    der = ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode())
    assert tls.issuer_of(der).startswith("O=Example Corp Inspection, OU=")
    assert tls.issuer_of(b"\x30\x82\xff") == ""
