"""Inputs and payloads of the article mutations."""

from __future__ import annotations

import strawberry

from contentapi.graphql.articles.types import Article
from contentapi.graphql.errors import UserError
from contentapi.graphql.idempotency import key_field


@strawberry.input(description="A text in one locale.")
class LocalizedTextInput:
    """A locale and its text."""

    locale: str = strawberry.field(description="A configured locale: nb, nn ...")
    text: str = strawberry.field(description="The text in that locale.")


@strawberry.input(description="A person in a byline.")
class BylineAuthorInput:
    """The name is the same in every locale; the role is given per locale."""

    name: str = strawberry.field(description="The person's name, at most 200 characters.")
    role: list[LocalizedTextInput] = strawberry.field(
        default_factory=list,
        description=(
            "Role or title per locale, at most 200 characters each ('juryleiar' in nn, "
            "'juryleder' in nb); a locale left out falls back through its chain."
        ),
    )


@strawberry.input(description="A whole byline: it replaces the article's byline.")
class BylineInput:
    """Authors in display order and the publishing unit's name per locale."""

    authors: list[BylineAuthorInput] = strawberry.field(
        default_factory=list, description="Authors in display order, at most 20."
    )
    unit: list[LocalizedTextInput] = strawberry.field(
        default_factory=list,
        description=(
            "The publishing unit's name per locale, at most 300 characters each; empty: no unit."
        ),
    )


@strawberry.input(description="A new article: its first translation, saved as a draft.")
class CreateArticleInput:
    """Title and body are required; the slug is made from the title when not given."""

    locale: str = strawberry.field(description="Locale of this first translation.")
    title: str = strawberry.field(description="Title, at most 300 characters.")
    body: str = strawberry.field(description="HTML; cleaned to the allowed tags.")
    slug: str | None = strawberry.field(default=None, description="Lowercase a-z, 0-9, -.")
    lead: str | None = strawberry.field(default=None, description="Lead paragraph.")
    tags: list[str] = strawberry.field(default_factory=list, description="Tag keys.")
    byline: BylineInput | None = strawberry.field(
        default=None, description="Authors and publishing unit (setByline changes them)."
    )
    idempotency_key: str | None = key_field()


@strawberry.input(description="Changes to one translation; fields left out stay as they are.")
class UpdateArticleInput:
    """Needs the version the change was made from (optimistic concurrency)."""

    id: strawberry.ID = strawberry.field(description="Article id (plain or of any locale).")
    locale: str = strawberry.field(description="Which translation.")
    expected_version: int = strawberry.field(
        description=(
            "The version you edited: of the pending changes when the translation has some "
            "and draft is true, else of the live text."
        )
    )
    title: str | None = strawberry.field(default=None, description="New title.")
    slug: str | None = strawberry.field(default=None, description="New slug.")
    lead: str | None = strawberry.field(default=None, description="New lead; '' removes it.")
    body: str | None = strawberry.field(default=None, description="New body HTML.")
    minor_edit: bool = strawberry.field(
        default=False, description="A typo fix: 'Sist endret' (updatedAt) stays."
    )
    draft: bool = strawberry.field(
        default=False,
        description=(
            "Save a published (or scheduled) translation's change as pending changes: "
            "readers keep the live text until publishArticle (or discardDraft drops them); "
            "preview shows them. On a translation readers cannot see, a plain save."
        ),
    )


@strawberry.input(description="A translation made from another locale's version.")
class TranslateArticleInput:
    """Creates the translation as a draft, or replaces it (then expectedVersion is needed).

    Replacing a published translation saves pending changes for an editor to publish."""

    id: strawberry.ID = strawberry.field(description="Article id (plain or of any locale).")
    locale: str = strawberry.field(description="Locale of the translation.")
    title: str = strawberry.field(description="Title.")
    body: str = strawberry.field(description="Body HTML.")
    source_locale: str | None = strawberry.field(
        default=None, description="Translated from (default: the article's first locale)."
    )
    slug: str | None = strawberry.field(default=None, description="Slug; made from the title.")
    lead: str | None = strawberry.field(default=None, description="Lead paragraph.")
    expected_version: int | None = strawberry.field(
        default=None, description="Needed when the translation exists already."
    )


@strawberry.type(description="Result of an article mutation.")
class ArticlePayload:
    """The article as an editor sees it (drafts included), or the errors."""

    article: Article | None = strawberry.field(description="The article after the change.")
    errors: list[UserError] = strawberry.field(description="Empty when it worked.")
