"""Live article events over ``graphql-transport-ws``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING

import strawberry

from contentapi.articles.events import PUBLISHED, ArticleEvent
from contentapi.graphql.articles.queries import load_article
from contentapi.graphql.articles.types import Article

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


@strawberry.type
class ArticleSubscription:
    """Frontends refresh when content appears, without polling."""

    @strawberry.subscription(
        description=(
            "An article each time a translation is published (scheduled ones at their time). "
            "With locale: only when what readers of that locale see changed, resolved for it."
        )
    )
    async def article_published(
        self, info: strawberry.Info[Context], locale: str | None = None
    ) -> AsyncGenerator[Article, None]:
        ctx = info.context
        code = ctx.locale(locale) if locale is not None else None
        async with ctx.runtime.events.bus.subscribe() as queue:
            while True:
                event = await queue.get()
                if not isinstance(event, ArticleEvent) or event.name != PUBLISHED:
                    continue
                ctx.refresh()  # a long-lived connection: fresh clock and loaders per event
                article = await load_article(ctx, event.article_id, code or event.locale)
                if article is not None and article.resolved.locale == event.locale:
                    yield article
