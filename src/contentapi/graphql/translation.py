"""Read fields for translators and for the language-use report."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from contentapi.auth.permissions import Action
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import (
    PageInfo,
    check_page_args,
    decode_cursor,
    encode_cursor,
    parse_pk,
    to_global_id,
)
from contentapi.moments import optional_utc
from contentapi.translation.report import language_use
from contentapi.translation.status import (
    KindStatus,
    WorkState,
    status_counts,
    work_count,
    work_page,
)

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

    article_id: strawberry.ID = strawberry.field(
        description="The article's id in the status's locale (any article id argument takes it)."
    )
    state: WorkState = strawberry.field(description="MISSING or OUTDATED.")
    source_locale: str = strawberry.field(description="Translate from this locale.")
    source_title: str = strawberry.field(description="The source's title.")


@strawberry.type(description="An edge in a list of translation tasks.")
class TranslationTaskEdge:
    """A task and its cursor."""

    cursor: str = strawberry.field(description="Opaque cursor of this task.")
    node: TranslationTask = strawberry.field(description="The task.")


@strawberry.type(description="A page of translation tasks.")
class TranslationTaskConnection:
    """Relay connection of the articles needing work, by article id."""

    edges: list[TranslationTaskEdge] = strawberry.field(description="The tasks on this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Tasks matching, on every page.")
    async def total_count(self) -> int:
        return await self.count()  # counted only when asked for


class _Counts:
    """A locale's counts, read once per request when counts or totalCount asks."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.lock = asyncio.Lock()
        self.found: list[KindStatus] | None = None

    async def get(self) -> list[KindStatus]:
        async with self.lock:  # counts and totalCount resolve at once: one statement
            if self.found is None:
                self.found = await status_counts(self.locale)
        return self.found


TASK_CURSOR = "task"


def task_cursor(article_id: int) -> str:
    """Where a task stands: its article id."""
    return encode_cursor(TASK_CURSOR, [article_id])


def _after(cursor: str) -> int:
    values = decode_cursor(cursor, TASK_CURSOR, "after")
    pk = parse_pk(values[0]) if len(values) == 1 and isinstance(values[0], int) else None
    if pk is None:
        raise DomainError(ErrorCode.BAD_REQUEST, "Invalid cursor in 'after'", field="after")
    return pk


@strawberry.type(description="Translation status of one locale.")
class TranslationStatus:
    """Counts per kind and the articles that need work."""

    locale: str = strawberry.field(description="The locale.")
    summary: strawberry.Private[_Counts]

    @strawberry.field(description="Per kind of content.")
    async def counts(self) -> list[TranslationCounts]:
        return [
            TranslationCounts(
                kind=k.kind, missing=k.missing, outdated=k.outdated, up_to_date=k.up_to_date
            )
            for k in await self.summary.get()
        ]

    @strawberry.field(
        description=(
            "Articles needing work (missing and outdated), by article id; state: only "
            "those. first: 20 unless given, at most 100."
        )
    )
    async def tasks(
        self,
        first: int | None = None,
        after: str | None = None,
        state: WorkState | None = None,
    ) -> TranslationTaskConnection:
        size = check_page_args(first, None).size
        after_id = _after(after) if after else None
        page = await work_page(self.locale, size, after_id, state)
        edges = [
            TranslationTaskEdge(
                cursor=task_cursor(w.article_id),
                node=TranslationTask(
                    article_id=to_global_id("Article", w.article_id, self.locale),
                    state=w.state,
                    source_locale=w.source_locale,
                    source_title=w.source_title,
                ),
            )
            for w in page.items
        ]
        summary = self.summary

        async def count() -> int:
            return work_count((await summary.get())[0], state)  # ARTICLE comes first

        return TranslationTaskConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=after_id is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            count=count,
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
    ) -> TranslationStatus | None:
        code = info.context.locale(locale)
        return TranslationStatus(locale=code, summary=_Counts(code))
