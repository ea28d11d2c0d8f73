"""Who publishes an article: the line under the title ("Utgiver: ...").

DEMO VALUE: there is no byline or publishing unit on an article yet (issue 15, item 4
adds ``Article.byline`` and the unit, editable by editors). Until then every article is
shown as published by the department the demo content comes from. Replace the body of
:func:`publisher_of` with the article's own unit when it lands; the template needs no
change.
"""

from __future__ import annotations

from dataclasses import dataclass

# the demo's department (its name is the same in Bokmål and Nynorsk)
DEMO_PUBLISHER = "Kommunal- og moderniseringsdepartementet"


@dataclass(frozen=True)
class Publisher:
    """The publishing unit as shown: its name, and the locale that name is written in."""

    name: str
    locale: str


def publisher_of(article_id: int, locale: str) -> Publisher:
    """The publisher of an article for a reader in ``locale`` (a demo value for now)."""
    return Publisher(name=DEMO_PUBLISHER, locale=locale)
