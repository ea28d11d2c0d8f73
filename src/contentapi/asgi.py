"""The app as uvicorn builds it in each worker process, from the environment.

``contentapi serve --workers N`` hands uvicorn ``contentapi.asgi:app_from_env`` (a
factory): each spawned worker imports this module and builds its own app, with its own
database connections, event hub and response cache. The parent has migrated the database
(and loaded the demo) before any worker starts.
"""

from __future__ import annotations

from contentapi import logs
from contentapi.app import App, create_app
from contentapi.settings import Settings

FACTORY = f"{__name__}:app_from_env"  # what uvicorn is given (``factory=True``)


def app_from_env() -> App:
    """The whole app for the ``CONTENTAPI_*`` variables, its log lines made safe."""
    settings = Settings.from_env()
    logs.install_for(settings.log_format, settings.access_log)  # a spawned worker's own
    return create_app(settings)
