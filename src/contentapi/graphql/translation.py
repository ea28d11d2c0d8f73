"""Read fields for translators and for the language-use report."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from contentapi.auth.permissions import Action
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import MAX_PAGE_SIZE, to_global_id
from contentapi.moments import optional_utc
from contentapi.translation.report import language_use
from contentapi.translation.status import WorkState, translation_status

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

strawberry.enum(WorkState, name="TranslationWorkState", description="Why an item needs work.")


@strawberry.type(description="One locale's part of the published content in a period.")
class LocaleShare:
    """Items and words, and whether the share meets the minimum."""

    locale: str = strawberry.field(description="Locale.")
    count: int = strawberry.field(description="Translations first published in the period.")
    share: float = strawberry.field(description="count / total (0 to 1).")
    words: int = strawberry.field(description="Words in those translations.")
    word_share: float = strawberry.field(description="words / totalWords (0 to 1).")
    meets_minimum: bool = strawberry.field(description="share is at least minimumShare.")


@strawberry.type(description="The language-use report (målbruk) for a period.")
class LanguageReport:
    """Per locale, what was published in it directly (fallback does not count)."""

    total: int = strawberry.field(description="Translations published in the period.")
    total_words: int = strawberry.field(description="Words in them.")
    minimum_share: float = strawberry.field(description="The configured minimum share.")
    by_locale: list[LocaleShare] = strawberry.field(description="One entry per locale.")


@strawberry.type(description="Counts for one kind of content in a locale.")
class TranslationCounts:
    """Missing, outdated and up to date."""

    kind: str = strawberry.field(description="ARTICLE, IMAGE, VIDEO or TAG.")
    missing: int = strawberry.field(description="No translation in the locale.")
    outdated: int = strawberry.field(description="The source changed since (articles only).")
    up_to_date: int = strawberry.field(description="Translated and current.")


@strawberry.type(description="An article whose translation needs work.")
class TranslationTask:
    """What to translate next."""

    article_id: strawberry.ID = strawberry.field(description="Article id.")
    state: WorkState = strawberry.field(description="MISSING or OUTDATED.")
    source_locale: str = strawberry.field(description="Translate from this locale.")
    source_title: str = strawberry.field(description="The source's title.")


@strawberry.type(description="Translation status of one locale.")
class TranslationStatus:
    """Counts per kind and the articles that need work."""

    locale: str = strawberry.field(description="The locale.")
    counts: list[TranslationCounts] = strawberry.field(description="Per kind of content.")
    tasks: list[TranslationTask] = strawberry.field(
        description="Articles needing work, at most 100 (missing and outdated)."
    )


@strawberry.type
class TranslationQuery:
    """Status for translators; the language report for everyone."""

    @strawberry.field(
        description=(
            "Per locale, the share of content published in the period (by items and by "
            "words), and whether it meets the minimum share (default 25 %)."
        )
    )
    async def language_report(
        self,
        info: strawberry.Info[Context],
        start: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> LanguageReport:
        ctx = info.context
        report = await language_use(
            ctx.runtime.locales.codes,
            optional_utc(start, "from"),
            optional_utc(to, "to"),
            ctx.now,
            ctx.settings.language_minimum_share,
        )
        return LanguageReport(
            total=report.total,
            total_words=report.total_words,
            minimum_share=report.minimum_share,
            by_locale=[
                LocaleShare(
                    locale=r.locale,
                    count=r.count,
                    share=r.share,
                    words=r.words,
                    word_share=r.word_share,
                    meets_minimum=r.meets_minimum,
                )
                for r in report.by_locale
            ],
        )

    @strawberry.field(
        description="What is missing, outdated and up to date in a locale (translators, editors).",
        permission_classes=[requires(Action.PREVIEW)],
    )
    async def translation_status(
        self, info: strawberry.Info[Context], locale: str
    ) -> TranslationStatus:
        code = info.context.locale(locale)
        kinds, work = await translation_status(code)
        return TranslationStatus(
            locale=code,
            counts=[
                TranslationCounts(
                    kind=k.kind, missing=k.missing, outdated=k.outdated, up_to_date=k.up_to_date
                )
                for k in kinds
            ],
            tasks=[
                TranslationTask(
                    article_id=to_global_id("Article", w.article_id),
                    state=w.state,
                    source_locale=w.source_locale,
                    source_title=w.source_title,
                )
                for w in work[:MAX_PAGE_SIZE]
            ],
        )
