"""Who may do what: every rule of the API in one table.

Resolvers do not check roles; the GraphQL layer declares an action on each protected
field and :func:`authorize` decides it here.
"""

from __future__ import annotations

from enum import StrEnum

from contentapi.auth.tokens import Principal, Role
from contentapi.errors import DomainError, ErrorCode


class Action(StrEnum):
    """Protected operations."""

    PREVIEW = "preview"  # read drafts, scheduled and unpublished translations, revisions
    CREATE_ARTICLE = "create_article"
    EDIT_ARTICLE = "edit_article"  # update, revert
    PUBLISH = "publish"  # publish, unpublish
    DELETE_ARTICLE = "delete_article"  # delete, restore
    TRANSLATE = "translate"
    ATTACH_MEDIA = "attach_media"
    MODERATE = "moderate"


_EDITORS = frozenset({Role.ADMIN, Role.EDITOR})
RULES: dict[Action, frozenset[Role]] = {
    Action.PREVIEW: _EDITORS | {Role.TRANSLATOR},
    Action.CREATE_ARTICLE: _EDITORS,
    Action.EDIT_ARTICLE: _EDITORS,  # update, revert (translators use translateArticle)
    Action.PUBLISH: _EDITORS,
    Action.DELETE_ARTICLE: _EDITORS,
    Action.TRANSLATE: _EDITORS | {Role.TRANSLATOR},  # translators: their locales only
    Action.ATTACH_MEDIA: _EDITORS,
    Action.MODERATE: frozenset({Role.ADMIN, Role.MODERATOR}),
}
# actions whose locale argument must be one of a limited token's locales
LOCALE_BOUND = frozenset({Action.EDIT_ARTICLE, Action.TRANSLATE, Action.PUBLISH})


def authorize(principal: Principal | None, action: Action, locale: str | None = None) -> Principal:
    """The principal if it may do ``action`` (in ``locale``); else UNAUTHENTICATED/FORBIDDEN."""
    if principal is None:
        raise DomainError(
            ErrorCode.UNAUTHENTICATED, "This needs a token: 'Authorization: Bearer <token>'"
        )
    if principal.role not in RULES[action]:
        raise DomainError(
            ErrorCode.FORBIDDEN, f"The role {principal.role.value!r} may not {action.value}"
        )
    if action in LOCALE_BOUND and locale is not None and not principal.may_write(locale):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            f"This token may only write in {', '.join(sorted(principal.locales or ()))}",
            field="locale",
        )
    return principal
