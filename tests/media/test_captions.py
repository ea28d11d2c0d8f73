"""The WebVTT check: conforming files pass, everything else is UNSUPPORTED_MEDIA."""

from __future__ import annotations

import pytest

from contentapi.errors import DomainError
from contentapi.media import captions

GOOD = (
    "\ufeffWEBVTT - Tenk Træna\r\n"
    "Kind: captions\r\n"
    "\r\n"
    "NOTE laga av KMD\r\n"
    "\r\n"
    "STYLE\r\n"
    "::cue { color: yellow }\r\n"
    "\r\n"
    "1\r\n"
    "00:00.500 --> 00:04.000 align:start line:90%\r\n"
    "<v Ordføraren>Velkomen til Træna.\r\n"
    "\r\n"
    "01:00:04.500 --> 01:00:09.000\r\n"
    "Vi vil gjere det lettare å bu her.\r\n"
    "Andre linja.\r\n"
)


def test_a_conforming_file_gives_its_cues() -> None:
    cues = captions.parse(GOOD.encode())
    assert [(c.start, c.end) for c in cues] == [(500, 4000), (3_604_500, 3_609_000)]
    assert cues[0].text == "<v Ordføraren>Velkomen til Træna."
    assert cues[1].text == "Vi vil gjere det lettare å bu her.\nAndre linja."


def test_render_makes_a_file_that_parses() -> None:
    data = captions.render([("00:01.000", "00:02.500", "Ørsta og Volda")])
    assert captions.parse(data)[0].text == "Ørsta og Volda"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"WEBVTTX\n\n00:01.000 --> 00:02.000\nx\n",  # not the signature
        b"1\n00:00:01,000 --> 00:00:02,000\nSRT, not WebVTT\n",
        b"WEBVTT\n\n00:01,000 --> 00:02.000\ncomma\n",
        b"WEBVTT\n\n00:02.000 --> 00:01.000\nends before it starts\n",
        b"WEBVTT\n\n00:05.000 --> 00:06.000\na\n\n00:01.000 --> 00:02.000\nout of order\n",
        b"WEBVTT\n\n00:61.000 --> 01:02.000\nno such second\n",
        b"WEBVTT\n\n0:01.000 --> 0:02.000\none-digit minutes\n",
        b"WEBVTT\n\n00:01.000 --> 00:02.000 colour:red\nunknown setting\n",
        b"WEBVTT\n\n00:01.000 --> 00:02.000\nx --> y\n",
        b"WEBVTT\n00:01.000 --> 00:02.000\nno blank line after the header\n",
        b"WEBVTT\n\nidentifier only\n",
        b"WEBVTT\n\n00:01.000 --> 00:02.000\nx\n\nSTYLE\n::cue {}\n",  # style after a cue
        b"WEBVTT\n\nNOTE nothing else\n",  # no cues
        "WEBVTT\n\n00:01.000 --> 00:02.000\nÆ\n".encode("latin-1"),  # not UTF-8
        b"WEBVTT\n\n00:01.000 --> 00:02.000\nnul\x00\n",
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_anything_else_is_unsupported_media(data: bytes) -> None:
    with pytest.raises(DomainError) as caught:
        captions.parse(data)
    assert caught.value.code.value == "UNSUPPORTED_MEDIA" and caught.value.field == "file"


def test_over_the_limit_is_file_too_large() -> None:
    with pytest.raises(DomainError) as caught:
        captions.check(captions.render([("00:01.000", "00:02.000", "x" * 100)]), max_bytes=50)
    assert caught.value.code.value == "FILE_TOO_LARGE"
    assert caught.value.params == {"max_bytes": 50}
