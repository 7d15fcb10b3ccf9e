"""Error classification and diagnoses: server codes, HTTP bodies, transport exceptions, secrecy."""

from __future__ import annotations

import re
import socket
import ssl

import httpx
import pytest

from desktop.api import diagnoses
from desktop.api import errors as e
from desktop.api.events import Chat, LastError
from desktop.netlog import remember_secret, scrub_text

URL = "https://api.coze.cn/v3/chat"
TOKEN = "pat_" + "Ab3" * 21 + "wxyz"
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- diagnoses -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "msg", "key"),
    [
        (400, 4000, "bad", "bad_request"),
        (200, 4013, "", "model_error"),  # the official table: a model error, not a limit
        (200, 4008, "", "daily_limit"),
        (200, 4009, "", "system_busy"),
        (200, 4020, "", "rpm_exceeded"),
        (429, None, "", "rate_limited"),
        (200, 4016, "", "conversation_busy"),
        (200, 4028, "Your free quota has been used up", "quota_exhausted"),
        (401, 4100, "authentication is invalid", "auth_invalid"),
        (200, 4100, "authentication is invalid", "auth_invalid"),
        (403, 4101, "", "permission_denied"),
        (200, 4200, "Requested resource bot_id=1 does not exist.", "bot_not_found"),
        (404, None, "", "bot_not_found"),
        (
            200,
            4015,
            "The Bot is not currently published to the corresponding platform",
            "bot_not_published",
        ),
        (200, None, "当前 Bot 未发布到对应渠道", "bot_not_published"),
        (200, 5000, "internal", "server_error"),
        (503, None, "", "server_error"),
        (None, 5000, "event interval error", "event_interval"),
        (200, 700012006, "authentication failed", "auth_studio"),
        (200, 103100002, "agent not exists", "studio_agent_not_exists"),
        (200, 103100001, "agent not exists", "studio_agent_not_exists"),
        (200, 103100001, "model failed", "studio_agent_run_error"),
        (200, 103000002, "", "studio_conversation_not_found"),
        (200, 103200005, "", "studio_error"),
        (200, 4104, "", "cannot_cancel"),
        (418, 1234, "odd", "api_error"),
    ],
)
def test_diagnose_picks_the_right_explanation(
    status: int | None, code: int | None, msg: str, key: str
) -> None:
    assert e.diagnose(status, code, msg).key == key


def test_every_diagnosis_has_english_and_chinese_title_and_fix() -> None:
    for key in diagnoses.all_keys():
        d = diagnoses.get(key, "cn")
        assert d.key == key
        assert d.title("en")
        assert d.fix("en")
        assert not CJK.search(d.title("en"))
        assert CJK.search(d.title("zh"))
        assert CJK.search(d.fix("zh"))
        assert "{" not in d.fix_en + d.fix_zh  # every placeholder filled


@pytest.mark.parametrize(("region", "other"), [("cn", "coze.com"), ("com", "coze.cn")])
def test_auth_and_not_found_name_the_other_region(region: str, other: str) -> None:
    for code in (4100, 4200):
        d = e.diagnose(200, code, "", region=region)
        assert f"switch the profile's region to {other}" in d.fix_en
        assert other in d.fix_zh


def test_unknown_region_still_explains_that_regions_do_not_mix() -> None:
    d = e.diagnose(401, 4100, "", region="custom")
    assert "coze.cn and coze.com" in d.fix_en


# -- error objects -------------------------------------------------------------------------------


def test_describe_lists_only_the_known_parts() -> None:
    err = e.api_error(401, 4100, "authentication is invalid", log_id="L1", url=URL, region="cn")
    assert isinstance(err, e.AuthError)
    lines = err.describe("en").splitlines()
    assert lines[0] == "Coze did not accept the access token."
    assert lines[-1] == "HTTP 401 · code 4100 · msg authentication is invalid · log id L1"
    assert err.describe("zh").splitlines()[0].startswith("扣子没有接受")
    bare = e.ConnectRefusedError("")
    assert bare.details() == ""
    assert len(bare.describe().splitlines()) == 2


def test_token_never_appears_in_message_str_repr_or_dict() -> None:
    err = e.AuthError(f"bad header Bearer {TOKEN} and raw {TOKEN}", url=URL)
    for text in (err.msg, str(err), repr(err), err.describe(), str(err.to_dict())):
        assert TOKEN not in text
        assert TOKEN[4:20] not in text


JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnLW5hdHVyZQ"
ODD = "oauth-ErrorsInUse-0123456789"  # no token shape: masked because it is in use


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"bad header Bearer {TOKEN}", TOKEN[4:20]),
        (f"raw {TOKEN} here", TOKEN[4:20]),
        (f'{{"authorization": "Bearer {JWT}"}}', JWT[3:20]),
        (f"id token {JWT} refused", JWT[3:20]),
        ("proxy http://bob:hunter2secret@10.0.0.1:8080 refused", "hunter2secret"),
        (f"you sent {ODD}.", ODD[:-4]),
    ],
)
def test_errors_and_the_network_log_mask_the_same_way(text: str, secret: str) -> None:
    remember_secret(ODD)
    masked = scrub_text(text)
    assert secret not in masked
    assert e.CozeError(text).msg == masked  # one scrubber: an error's msg reads as the log does


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (4000, e.BadRequestError),
        (4013, e.CozeAPIError),
        (4008, e.QuotaError),
        (4009, e.RateLimitError),
        (4020, e.RateLimitError),
        (4016, e.ConversationBusyError),
        (4028, e.QuotaError),
        (4100, e.AuthError),
        (700012006, e.AuthError),
        (4101, e.PermissionDeniedError),
        (4200, e.NotFoundError),
        (5000, e.ServerError),
        (103100002, e.StudioError),
        (9999, e.CozeAPIError),
    ],
)
def test_api_error_class_by_code(code: int, cls: type[e.CozeAPIError]) -> None:
    err = e.api_error(200, code, "m")
    assert type(err) is cls
    assert isinstance(err, e.CozeAPIError)


def test_chat_failed_from_last_error() -> None:
    chat = Chat(
        id="c", conversation_id="v", status="failed", last_error=LastError(code=4028, msg="quota")
    )
    err = e.ChatFailedError.from_chat(chat, log_id="L")
    assert err.chat is chat
    assert (err.code, err.msg, err.log_id) == (4028, "quota", "L")
    assert err.diagnosis.key == "quota_exhausted"
    other = e.ChatFailedError.from_chat(
        Chat(id="c", conversation_id="v", last_error=LastError(code=777, msg="?"))
    )
    assert other.diagnosis.key == "chat_failed"


# -- responses -----------------------------------------------------------------------------------


def test_json_error_body_with_http_200() -> None:
    body = (
        b'{"code":4200,"msg":"Requested resource bot_id=1 does not exist.","detail":{"logid":"B1"}}'
    )
    err = e.error_from_response(200, {"content-type": "application/json"}, body, URL)
    assert isinstance(err, e.NotFoundError)
    assert (err.status, err.code, err.log_id) == (200, 4200, "B1")


def test_header_log_id_wins_and_retry_after_is_read() -> None:
    headers = {"x-tt-logid": "H1", "retry-after": "2", "content-type": "application/json"}
    body = b'{"code":4020,"msg":"rate","detail":{"logid":"B1"}}'
    err = e.error_from_response(429, headers, body, URL)
    assert isinstance(err, e.RateLimitError)
    assert err.log_id == "H1"
    assert err.retry_after == 2.0


@pytest.mark.parametrize("value", ["1e999", "inf", "-Infinity", "nan"])
def test_absurd_retry_after_is_unknown(value: str) -> None:
    assert e.parse_retry_after(value) is None


@pytest.mark.parametrize("code", ["1e999", "Infinity", "NaN", "-1e999"])
def test_absurd_numbers_in_an_error_body_do_not_overflow(code: str) -> None:
    body = f'{{"code":{code},"msg":"odd","created_at":{code}}}'.encode()
    err = e.error_from_response(400, {"content-type": "application/json"}, body, URL)
    assert isinstance(err, e.CozeAPIError)
    assert (err.status, err.code, err.msg) == (400, None, "odd")


def test_html_gateway_page_is_not_coze() -> None:
    html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    err = e.error_from_response(502, {"content-type": "text/html"}, html, URL)
    assert isinstance(err, e.NotCozeResponseError)
    assert err.status == 502
    assert "502 Bad Gateway" in err.msg
    assert err.diagnosis.key == "not_coze_response"


def test_json_success_where_a_stream_was_expected_is_unexpected() -> None:
    err = e.error_from_response(200, {}, b'{"code":0,"msg":"","data":{}}', URL)
    assert type(err) is e.CozeAPIError
    assert err.diagnosis.key == "unexpected_response"


def test_redirect_is_explained_with_its_target() -> None:
    err = e.error_from_response(301, {"location": "https://api.coze.cn/v3/chat"}, b"", URL)
    assert err.diagnosis.key == "redirected"
    assert "https://api.coze.cn/v3/chat" in err.msg


def test_studio_http_400_envelope() -> None:
    err = e.error_from_response(400, {}, b'{"code":400,"msg":"invalid parameters"}', URL)
    assert isinstance(err, e.BadRequestError)


# -- transport exceptions ------------------------------------------------------------------------


def _connect_error(cause: BaseException, text: str = "") -> httpx.ConnectError:
    exc = httpx.ConnectError(text or str(cause))
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("exc", "cls", "key"),
    [
        (
            _connect_error(ConnectionRefusedError(111, "Connection refused")),
            e.ConnectRefusedError,
            "connect_refused",
        ),
        (
            httpx.ConnectError("[Errno 111] Connection refused"),
            e.ConnectRefusedError,
            "connect_refused",
        ),
        (
            _connect_error(socket.gaierror(-2, "Name or service not known")),
            e.DNSError,
            "dns_failure",
        ),
        (
            httpx.ConnectError("[Errno -3] Temporary failure in name resolution"),
            e.DNSError,
            "dns_failure",
        ),
        (
            _connect_error(ssl.SSLCertVerificationError(1, "CERTIFICATE_VERIFY_FAILED")),
            e.TLSError,
            "tls_failure",
        ),
        (
            httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            e.TLSError,
            "tls_failure",
        ),
        (httpx.ProxyError("407 Proxy Authentication Required"), e.ProxyError, "proxy_failure"),
        (httpx.ConnectTimeout("timed out"), e.CozeTimeoutError, "connect_timeout"),
        (httpx.ReadTimeout("timed out"), e.CozeTimeoutError, "read_timeout"),
        (httpx.RemoteProtocolError("Server disconnected"), e.NetworkError, "connection_closed"),
        (httpx.ConnectError("something odd"), e.NetworkError, "network_error"),
    ],
)
def test_error_from_exception(exc: BaseException, cls: type[e.NetworkError], key: str) -> None:
    err = e.error_from_exception(exc, URL)
    assert type(err) is cls
    assert err.diagnosis.key == key
    assert err.url == URL
    assert not err.partial


def test_mid_stream_exceptions_are_cuts_and_stalls() -> None:
    cut = e.error_from_exception(
        httpx.RemoteProtocolError("incomplete chunked read"), URL, partial=True
    )
    assert isinstance(cut, e.StreamCutError)
    assert cut.partial
    stall = e.error_from_exception(httpx.ReadTimeout(""), URL, partial=True)
    assert isinstance(stall, e.CozeTimeoutError)
    assert stall.partial
    assert stall.diagnosis.key == "stream_stalled"


def test_refused_through_a_proxy_blames_the_proxy() -> None:
    exc = _connect_error(ConnectionRefusedError(111, "Connection refused"))
    assert isinstance(e.error_from_exception(exc, URL, via_proxy=True), e.ProxyError)


async def _real_refused() -> BaseException:
    with socket.socket() as s:  # find a free loopback port, then close it: nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with httpx.AsyncClient(trust_env=False) as client:
        try:
            await client.get(f"http://127.0.0.1:{port}/")
        except httpx.HTTPError as exc:
            return exc
    raise AssertionError("expected a connection error")


@pytest.mark.asyncio
async def test_a_real_refused_connection_is_recognised() -> None:
    err = e.error_from_exception(await _real_refused(), URL)
    assert isinstance(err, e.ConnectRefusedError)


def test_details_speak_the_users_language() -> None:
    exc = e.error_from_response(
        401,
        {"x-tt-logid": "20261124LOGID"},
        b'{"code":4100,"msg":"authentication is invalid"}',
        "https://api.coze.cn/v3/chat",
    )
    assert exc.details("en") == (
        "HTTP 401 · code 4100 · msg authentication is invalid · log id 20261124LOGID"
    )
    zh = exc.describe("zh")
    assert "错误码 4100" in zh
    assert "日志 ID 20261124LOGID" in zh
    assert "log id" not in zh
