"""``python -m contentapi`` is the ``contentapi`` command."""

from __future__ import annotations

import sys

from contentapi.cli import main

sys.exit(main())
