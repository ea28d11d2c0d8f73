"""Moving a whole site between databases: ``contentapi export`` and ``contentapi import``.

A restore is a row-level copy, not a sequence of edits: this package reads and writes
the ORM models (and, for a consistent export, the tables) directly, keeping every
primary key, instead of going through the domain services. The derived tables (the
article listing, the search index) are not copied but rebuilt by their own modules.
The format is in :mod:`contentapi.transfer.format` and docs/export-format.md.
"""

from __future__ import annotations

from contentapi.transfer.exporter import ExportSummary, export_site
from contentapi.transfer.format import FORMAT, VERSION, Problem, TransferError
from contentapi.transfer.importer import ImportSummary, import_site
from contentapi.transfer.progress import NoProgress, Progress
from contentapi.transfer.snapshot import snapshot

__all__ = [
    "FORMAT",
    "VERSION",
    "ExportSummary",
    "ImportSummary",
    "NoProgress",
    "Problem",
    "Progress",
    "TransferError",
    "export_site",
    "import_site",
    "snapshot",
]
