"""Machine drafts: an Apertium translation saved as a new draft through the articles service."""

from __future__ import annotations

from contentapi.articles import pending, services
from contentapi.articles.actor import Actor
from contentapi.articles.models import ArticleTranslation
from contentapi.articles.validation import Draft, already_translated, live_article
from contentapi.articles.visibility import is_live
from contentapi.errors import not_found
from contentapi.events.outbox import Outbox
from contentapi.translation import apertium


async def pretranslate(
    article_id: int, source_locale: str, locale: str, actor: Actor, outbox: Outbox
) -> ArticleTranslation:
    """A machine-made DRAFT of ``locale`` from ``source_locale`` (Apertium); never published.

    For a live translation, the machine text becomes its pending changes. The draft is
    marked ``machine_translated`` until a person saves it.
    """
    await live_article(article_id)
    source = await ArticleTranslation.get_or_none(article_id=article_id, locale=source_locale)
    if source is None:
        raise not_found("source translation", field="from")
    # a live translation gets a machine draft as pending changes, unless a person's
    # draft or pending changes are there (checked before the slow machine translation)
    existing = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    if existing is not None and (not is_live(existing) or await pending.of(existing)):
        raise already_translated(locale)
    draft = Draft(
        title=await apertium.translate(source.title, source_locale, locale),
        lead=await apertium.translate(source.lead or "", source_locale, locale),
        body=await apertium.translate(source.body, source_locale, locale, html=True),
    )
    return await services.translate_article(
        article_id,
        locale,
        source_locale,
        draft,
        existing.version if existing else None,
        actor,
        outbox,
        source_version=source.version,  # the version translated, if it changed meanwhile
        action="pretranslate",
        machine=True,
    )
