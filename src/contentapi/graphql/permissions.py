"""Declared permissions: ``permission_classes=[requires(Action.X, "input.locale")]``.

The rules themselves are in :mod:`contentapi.auth.permissions`; this only finds the
locale an operation writes in and asks there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.permission import BasePermission

from contentapi.auth.permissions import Action

if TYPE_CHECKING:
    from strawberry.types import Info


def _argument(kwargs: dict[str, Any], path: str | None) -> Any:
    value: Any = kwargs
    for part in (path or "").split("."):
        if not part:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    return value


def requires(
    action: Action,
    locale_from: str | None = None,
    when: str | None = None,
    unless: str | None = None,
) -> type[BasePermission]:
    """A permission class for ``action``; ``locale_from`` is the argument path of the locale.

    With ``when``, the check applies only if that boolean argument is true (``preview``).
    With ``unless``, a source object whose attribute of that name is true needs no check
    (``Comment.status`` in the poster's own ``postComment`` answer).

    A field guarded here must be nullable (tests/api/test_permission_fields.py): a
    refused field is then an error on that field alone, never on its parent.
    """

    class Requires(BasePermission):
        message = "Not allowed"

        async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            if when is not None and not kwargs.get(when):
                return True
            if unless is not None and getattr(source, unless, False) is True:
                return True
            raw = _argument(kwargs, locale_from)
            ctx = info.context
            locale = ctx.locale(raw) if isinstance(raw, str) else None
            await ctx.authorize(action, locale)  # raises UNAUTHENTICATED / FORBIDDEN
            return True

    Requires.__name__ = Requires.__qualname__ = f"Requires_{action.value}"
    return Requires
