"""The content round trip through gettext PO files: the entry format both ways share.

Export (:mod:`po_export`) writes one entry per translatable field: ``msgctxt`` names the
object, the field, the source version and the state of the target at export; ``msgid``
is the source text, ``msgstr`` the current translation. Import (:mod:`po_import`) saves
what changed through the domain services, never publishes, and keeps out (as a
conflict) anything edited after the export.

``msgctxt`` looks like ``article:12:title|nb@3|nn@2`` (article 12's title, from nb at
version 3, into nn at version 2; ``@0`` when there was no translation) and
``image:5:alt|nb|nn#1a2b3c4d`` for texts that keep no versions (the hash is of the
target text at export).
"""

from __future__ import annotations

import hashlib
import re

from contentapi.articles.validation import CONTENT_FIELDS as ARTICLE_FIELDS
from contentapi.media.models import TEXT_FIELDS as MEDIA_FIELDS

__all__ = ["ARTICLE_FIELDS", "CONTEXT", "MEDIA_FIELDS", "article_context", "fingerprint"]
CONTEXT = re.compile(
    r"^(?P<kind>article|image|video|tag):(?P<id>\d{1,10}):(?P<field>\w+)"
    r"\|(?P<source>[\w-]+)(?:@(?P<sv>\d+))?\|(?P<target>[\w-]+)(?:@(?P<tv>\d+)|#(?P<th>\w+))?$"
)


def fingerprint(text: str | None) -> str:
    """The short hash of a versionless text at export."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:8]


def article_context(
    article_id: int, name: str, source: str, source_version: int, target: str, version: int
) -> str:
    """``msgctxt`` of an article field."""
    return f"article:{article_id}:{name}|{source}@{source_version}|{target}@{version}"


def text_context(
    kind: str, pk: int, name: str, source: str, target: str, current: str | None
) -> str:
    """``msgctxt`` of a versionless text (an image's, a video's or a tag's)."""
    return f"{kind}:{pk}:{name}|{source}|{target}#{fingerprint(current)}"
