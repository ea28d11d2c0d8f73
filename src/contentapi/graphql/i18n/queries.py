"""Read fields for locales and UI strings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.arguments import check, check_all
from contentapi.graphql.i18n.types import LocaleInfo, UiMessage
from contentapi.i18n import format_count

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

MAX_KEYS = 200
PLURAL_OTHER = 2  # a count that takes the "other" form in nb, nn and en


@strawberry.type
class I18nQuery:
    """Configured locales and the interface strings of the locale files."""

    @strawberry.field(description="The configured locales, default first in configured order.")
    def locales(self, info: strawberry.Info[Context]) -> list[LocaleInfo]:
        return [
            LocaleInfo(
                code=i.code,
                name=i.name,
                english_name=i.english_name,
                is_default=i.is_default,
                fallbacks=list(i.fallbacks),
            )
            for i in info.context.runtime.locales.all()
        ]

    @strawberry.field(
        description=(
            "UI strings from the locale files, following the fallback chain. Without keys: "
            "every string. Keys no locale file has are left out. Plural strings come in "
            "their 'other' form with %(count)s in place; ask message(key, count) for one."
        )
    )
    def messages(
        self,
        info: strawberry.Info[Context],
        locale: str | None = None,
        keys: list[str] | None = None,
    ) -> list[UiMessage]:
        ctx = info.context
        chain = ctx.chain(ctx.locale(locale))
        check_all(keys[:MAX_KEYS] if keys else None, "key", "keys")
        wanted = ctx.runtime.catalogs.keys() if keys is None else keys[:MAX_KEYS]
        found = (ctx.runtime.catalogs.lookup(key, chain, PLURAL_OTHER) for key in wanted)
        return [
            UiMessage(key=m.key, text=m.text, locale=m.locale, is_fallback=m.is_fallback)
            for m in found
            if m is not None
        ]

    @strawberry.field(
        description=(
            "One UI string; with count, the plural form the locale needs and the count "
            "filled in ('3 kommentarar'). Null when no locale file has the key."
        )
    )
    def message(
        self,
        info: strawberry.Info[Context],
        key: str,
        locale: str | None = None,
        count: int | None = None,
    ) -> UiMessage | None:
        ctx = info.context
        chain = ctx.chain(ctx.locale(locale))
        check(key, "key", "key")
        found = ctx.runtime.catalogs.lookup(key, chain, count)
        if found is None:
            return None
        if found.is_plural and count is None:
            raise DomainError(
                ErrorCode.BAD_REQUEST, f"{key!r} has plural forms: give 'count'", field="count"
            )
        text = found.text
        if count is not None:
            text = text.replace("%(count)s", format_count(count, found.locale))
        return UiMessage(key=key, text=text, locale=found.locale, is_fallback=found.is_fallback)
