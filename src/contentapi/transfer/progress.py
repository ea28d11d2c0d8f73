"""How an export or import tells its command how far it is (a progress bar, or nothing)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Told how much work there is and how much is done (a progress bar, or nothing)."""

    def start(self, total: int) -> None:
        """The amount of work."""
        ...

    def advance(self, amount: int) -> None:
        """``amount`` more is done."""
        ...


class NoProgress:
    """Progress nobody watches."""

    def start(self, total: int) -> None:
        """Nothing to show."""

    def advance(self, amount: int) -> None:
        """Nothing to show."""
