"""Video links: YouTube, Vimeo or a direct file; the player URL is derived, not trusted."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from contentapi.errors import DomainError, ErrorCode

FILE_SUFFIXES = (".mp4", ".webm", ".m4v", ".mov", ".ogv")
_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def embed_url(url: str) -> str | None:
    """The iframe URL for a known provider, None for a direct file; INVALID_URL otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(url) > 1000:
        raise DomainError(ErrorCode.INVALID_URL, "A video URL is an http(s) address", "url")
    host = parts.hostname or ""
    if host in {"youtu.be"}:
        video = parts.path.strip("/")
    elif host in {"youtube.com", "www.youtube.com", "m.youtube.com"}:
        video = (parse_qs(parts.query).get("v") or [""])[0]
        if parts.path.startswith(("/embed/", "/shorts/")):
            video = parts.path.split("/")[2]
    elif host in {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}:
        number = parts.path.rstrip("/").split("/")[-1]
        if not number.isdigit():
            raise DomainError(ErrorCode.INVALID_URL, "Not a Vimeo video address", "url")
        return f"https://player.vimeo.com/video/{number}"
    elif parts.path.lower().endswith(FILE_SUFFIXES):
        return None
    else:
        raise DomainError(
            ErrorCode.UNSUPPORTED_MEDIA,
            "A video is a YouTube or Vimeo address or a video file (.mp4, .webm ...)",
            field="url",
        )
    if not _ID.match(video):
        raise DomainError(ErrorCode.INVALID_URL, "Not a YouTube video address", "url")
    return f"https://www.youtube-nocookie.com/embed/{video}"
