"""contentapi: a multilingual headless content API for Bokmål and Nynorsk."""

from __future__ import annotations

__version__ = "0.1.0"
