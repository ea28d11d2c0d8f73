"""Who wrote and who publishes an article, as the page shows it under the title: the
byline's authors with their roles and the publishing unit ("Utgjevar: ..."), each text
picked through the page's fallback chain and keeping the locale it is written in.
"""

from __future__ import annotations

from dataclasses import dataclass

from contentapi.articles.bylines import Byline
from contentapi.i18n import LocaleChain, pick


@dataclass(frozen=True)
class Publisher:
    """The publishing unit as shown: its name, and the locale that name is written in."""

    name: str
    locale: str


@dataclass(frozen=True)
class ShownAuthor:
    """An author as shown: the name, the role (if any) and the locale of the role."""

    name: str
    role: str | None
    role_locale: str | None


def publisher_of(byline: Byline | None, chain: LocaleChain) -> Publisher | None:
    """The article's publishing unit for a reader of ``chain``; None without one."""
    if byline is None:
        return None
    unit = pick(byline.unit, chain)
    return Publisher(name=unit.value, locale=unit.locale) if unit else None


def authors_of(byline: Byline | None, chain: LocaleChain) -> list[ShownAuthor]:
    """The byline's authors in order, each role picked for ``chain``."""
    if byline is None:
        return []
    shown = []
    for author in byline.authors:
        role = pick(author.roles, chain)
        shown.append(
            ShownAuthor(author.name, role.value if role else None, role.locale if role else None)
        )
    return shown
