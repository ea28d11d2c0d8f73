"""Who writes: passed to every write of the articles domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contentapi.i18n import Locales


@dataclass(frozen=True)
class Actor:
    """Who writes, when (the clock is injectable for scheduling tests), and for which
    locales (the article listing is kept for their fallback chains)."""

    name: str
    now: datetime
    locales: Locales
