"""Demo content: the Træna seed article in nb and nn, and generated articles."""

from __future__ import annotations

from contentapi.demo.loader import load_demo

__all__ = ["load_demo"]
