"""SSE decoder: recorded Coze vectors, the spec's edge cases, and property tests over arbitrary splits."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.api.sse import SSEDecoder, SSEFrame, SSELimitError

DATA = Path(__file__).parent / "data"
VECTORS = [
    "vector_a_text.txt",
    "vector_b_failed.txt",
    "vector_b2_error.txt",
    "vector_b3_unknown.txt",
    "vector_c_chatflow.txt",
    "vector_d_plugin.txt",
]


def decode(*chunks: bytes) -> list[SSEFrame]:
    decoder = SSEDecoder()
    frames: list[SSEFrame] = []
    for chunk in chunks:
        frames += decoder.feed(chunk)
    return frames + decoder.close()


def vector(name: str) -> bytes:
    return (DATA / name).read_bytes()


# -- recorded vectors ----------------------------------------------------------------------------


def test_vector_a_yields_every_event_including_the_unterminated_done() -> None:
    frames = decode(vector("vector_a_text.txt"))
    assert [f.event for f in frames] == [
        "conversation.chat.created",
        "conversation.chat.in_progress",
        *["conversation.message.delta"] * 4,
        "conversation.message.completed",
        "conversation.chat.completed",
        "done",
    ]
    assert frames[-1].data == '"[DONE]"'  # the quoted JSON string, as recorded
    deltas = "".join(json.loads(f.data)["content"] for f in frames[2:6])
    assert deltas == "20星期三。"


def test_vector_c_strips_exactly_one_space_after_the_colon() -> None:
    frames = decode(vector("vector_c_chatflow.txt"))
    assert frames[0].event == "conversation.chat.created"
    assert frames[0].data.startswith('{"id":"id_1111"')
    assert frames[-1].event == "done"
    assert json.loads(frames[-1].data)["debug_url"].startswith("https://www.coze.cn/")


@pytest.mark.parametrize(
    ("name", "events"),
    [
        ("vector_b_failed.txt", ["conversation.chat.failed"]),
        ("vector_b2_error.txt", ["error"]),
        ("vector_b3_unknown.txt", ["invalid"]),
    ],
)
def test_single_event_vectors(name: str, events: list[str]) -> None:
    frames = decode(vector(name))
    assert [f.event for f in frames] == events
    assert all(not f.bare for f in frames)


def test_vector_d_keeps_function_call_json_intact() -> None:
    frames = decode(vector("vector_d_plugin.txt"))
    call = json.loads(frames[2].data)
    assert call["type"] == "function_call"
    assert json.loads(call["content"])["name"] == "tupianlijie-imgUnderstand"
    assert len(frames) == 12


# -- spec and Coze quirks ------------------------------------------------------------------------


def test_no_space_and_one_space_after_colon_are_equivalent() -> None:
    assert decode(b"event:x\ndata:{}\n\n") == decode(b"event: x\ndata: {}\n\n")
    assert decode(b"data:  two\n\n")[0].data == " two"  # only ONE space is stripped


@pytest.mark.parametrize("payload", [b'"[DONE]"', b"[DONE]", b'{"debug_url":"u"}'])
def test_done_payload_variants_are_passed_through(payload: bytes) -> None:
    (frame,) = decode(b"event:done\ndata:" + payload + b"\n\n")
    assert (frame.event, frame.data) == ("done", payload.decode())


def test_studio_stream_done_with_empty_data_is_dispatched() -> None:
    (frame,) = decode(b"event:conversation.stream.done\ndata:\n\n")
    assert frame.event == "conversation.stream.done"
    assert frame.data == ""


def test_comments_are_ignored() -> None:
    frames = decode(b": ping\n\n:\nevent:a\n: keep-alive\ndata:1\n\n")
    assert [(f.event, f.data) for f in frames] == [("a", "1")]


def test_unknown_events_and_fields_are_kept_or_ignored_per_spec() -> None:
    frames = decode(b"event:brand.new\nfoo:bar\ndata:{}\n\n")
    assert [(f.event, f.data) for f in frames] == [("brand.new", "{}")]


def test_bare_json_line_is_an_error_frame() -> None:
    (frame,) = decode(b'{"code":4100,"msg":"authentication is invalid"}')
    assert frame.bare
    assert json.loads(frame.data)["code"] == 4100


def test_crlf_and_cr_line_endings() -> None:
    expected = [("a", "1"), ("b", "2")]
    for sep in (b"\r\n", b"\r"):
        body = sep.join([b"event:a", b"data:1", b"", b"event:b", b"data:2", b"", b""])
        assert [(f.event, f.data) for f in decode(body)] == expected


def test_crlf_split_between_chunks_is_one_line_end() -> None:
    frames = decode(b"event:a\r", b"\ndata:1\r", b"\n\r", b"\n")
    assert [(f.event, f.data) for f in frames] == [("a", "1")]


def test_multibyte_utf8_split_inside_a_character() -> None:
    body = "event:m\ndata:星期三。\n\n".encode()
    cut = body.index("期".encode()) + 1  # inside the 3-byte sequence
    (frame,) = decode(body[:cut], body[cut:])
    assert frame.data == "星期三。"


def test_multiline_data_id_and_retry() -> None:
    (frame,) = decode(b"id:7\nretry:1500\ndata:a\ndata:b\n\n")
    assert (frame.event, frame.data, frame.id, frame.retry) == ("message", "a\nb", "7", 1500)


def test_event_without_data_is_not_dispatched() -> None:
    assert decode(b"event:lonely\n\n") == []


def test_final_event_without_blank_line_is_dispatched_only_at_close() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event:done\ndata:x") == []
    assert [(f.event, f.data) for f in decoder.close()] == [("done", "x")]


# -- properties ----------------------------------------------------------------------------------


def _split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(body) + 1) for c in cuts})
    edges = [0, *points, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(edges)]


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(VECTORS), cuts=st.lists(st.integers(min_value=0), max_size=40))
def test_any_split_decodes_the_same(name: str, cuts: list[int]) -> None:
    body = vector(name)
    assert decode(*_split(body, cuts)) == decode(body)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(VECTORS), cuts=st.lists(st.integers(min_value=0), max_size=20))
def test_any_split_of_a_crlf_stream_decodes_the_same(name: str, cuts: list[int]) -> None:
    body = vector(name).replace(b"\n", b"\r\n")
    assert decode(*_split(body, cuts)) == decode(vector(name))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=12))
def test_random_bytes_never_crash(chunks: list[bytes]) -> None:
    frames = decode(*chunks)
    assert all(isinstance(f.data, str) and isinstance(f.event, str) for f in frames)


@settings(max_examples=200, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.text(
                alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n:"),
                min_size=1,
                max_size=8,
            ),
            st.text(
                alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
                max_size=20,
            ),
        ),
        min_size=1,
        max_size=6,
    ),
    cuts=st.lists(st.integers(min_value=0), max_size=10),
)
def test_encoded_events_round_trip(events: list[tuple[str, str]], cuts: list[int]) -> None:
    body = "".join(f"event:{name}\ndata:{data}\n\n" for name, data in events).encode()
    frames = decode(*_split(body, cuts))
    expected = [(n.removeprefix(" "), d.removeprefix(" ")) for n, d in events]
    assert [(f.event or "message", f.data) for f in frames] == [
        (n or "message", d) for n, d in expected
    ]


def _best_feed_time(size: int, chunk: int = 65_536) -> float:
    """Best of three: feed one ``size``-character ``data:`` line in ``chunk``-byte pieces."""
    payload = b"data:" + b"x" * size + b"\n\n"
    pieces = [payload[i : i + chunk] for i in range(0, len(payload), chunk)]
    best = float("inf")
    for _ in range(3):
        decoder = SSEDecoder()
        start = time.perf_counter()
        frames = [frame for piece in pieces for frame in decoder.feed(piece)]
        best = min(best, time.perf_counter() - start)
        assert len(frames) == 1
        assert len(frames[0].data) == size
    return best


def test_a_long_single_line_event_decodes_in_linear_time() -> None:
    # Linear work makes 10x the line cost ~10x the time; re-joining the growing tail on every
    # chunk (quadratic) makes it ~100x. The bound sits between, with room for a noisy machine.
    small = _best_feed_time(2_000_000)
    big = _best_feed_time(20_000_000)
    assert big < 40 * small, f"2 MB: {small * 1000:.1f} ms, 20 MB: {big * 1000:.1f} ms"


def test_a_leading_byte_order_mark_is_dropped_even_split_across_chunks() -> None:
    body = "\ufeffevent:conversation.chat.created\ndata:{}\n\nevent:done\ndata:x\n\n".encode()
    for cut in range(0, 5):
        decoder = SSEDecoder()
        frames = decoder.feed(body[:cut]) + decoder.feed(body[cut:]) + decoder.close()
        assert [f.event for f in frames] == ["conversation.chat.created", "done"], cut
    later = SSEDecoder()
    frames = later.feed(b"data:a\n\n") + later.feed("data:\ufeffb\n\n".encode()) + later.close()
    assert [f.data for f in frames] == ["a", "\ufeffb"]  # only a leading one is a BOM


def test_a_line_longer_than_the_limit_raises_whether_it_ended_or_not() -> None:
    decoder = SSEDecoder(max_line=100)
    decoder.feed(b"data:" + b"x" * 60)
    with pytest.raises(SSELimitError, match="had not ended yet; the limit is 100 characters"):
        decoder.feed(b"x" * 60)
    with pytest.raises(SSELimitError, match="a line of 205 characters; the limit"):
        SSEDecoder(max_line=100).feed(b"data:" + b"y" * 200 + b"\n\n")


def test_lines_and_events_at_the_limits_pass() -> None:
    decoder = SSEDecoder(max_line=105, max_event=300)
    frames = decoder.feed((b"data:" + b"x" * 100 + b"\n") * 3 + b"\n")
    assert [len(f.data) for f in frames] == [302]  # three lines joined by two line ends
    frames = [
        f for piece in [b"data:" + b"x" * 100 + b"\n"] * 3 + [b"\n"] for f in decoder.feed(piece)
    ]
    assert len(frames) == 1


def test_an_event_growing_past_the_limit_raises() -> None:
    decoder = SSEDecoder(max_line=1000, max_event=2500)
    decoder.feed(b"data:" + b"x" * 900 + b"\n")
    decoder.feed(b"data:" + b"x" * 900 + b"\n")
    with pytest.raises(SSELimitError, match="an event of more than 2,700 characters"):
        decoder.feed(b"data:" + b"x" * 900 + b"\n")
