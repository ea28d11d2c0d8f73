"""The reference reader page at ``/``: server-rendered HTML from the domain queries.

HTTP (:mod:`.view`) -> the page's data (:mod:`.page`, from the same queries and services
the GraphQL layer uses, never GraphQL itself) -> Jinja2 templates (:mod:`.render`). The
page reads without JavaScript; ``static/reader.js`` only adds live comments and the form.
"""

from __future__ import annotations

from contentapi.reader.view import reader_endpoint

__all__ = ["reader_endpoint"]
