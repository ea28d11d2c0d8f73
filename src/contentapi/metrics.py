"""``/metrics`` in the Prometheus text format: requests, latency, errors and SQL by operation
or route, the response cache, the database pool and the webhook queue.

The edge (``edge.py``) hands every finished request to :meth:`Metrics.observe`: its route
(the route template, never the raw path), the GraphQL operation's name for ``/graphql``
(names come from callers: at most :data:`MAX_OPERATIONS` distinct ones per process, the
rest are ``other``), its status, its time, the SQL it sent and the codes of its errors.
They are added to plain numbers (a dict entry and a bucket: about a microsecond, where
prometheus_client's metric objects took five on a kept answer of thirty); what is state
rather than events (the cache's size, the pool, the webhook queue) is read when scraped.
prometheus_client writes the text.

With ``PROMETHEUS_MULTIPROC_DIR`` set before the process starts (``serve --workers``
does it), each process also writes its numbers to its files in that directory, at most
:data:`FLUSH_SECONDS` after a request, when scraped and at exit, and any worker's
``/metrics`` shows the sum of all of them (prometheus_client's ``MultiProcessCollector``):
counters and histograms added up, per-process gauges (cache size, pool) summed over the
live workers. The webhook queue is one number for the whole database, read by the
worker scraped.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest, multiprocess, values
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
from tortoise.connection import connections

from contentapi.errors import ErrorCode
from contentapi.events.models import WebhookDelivery
from contentapi.request_context import ANONYMOUS, INVALID, RequestInfo
from contentapi.runtime import Runtime

logger = logging.getLogger("contentapi.metrics")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
GRAPHQL_ROUTE = "/graphql"
MAX_OPERATIONS = 100  # distinct operation names per process; beyond: OTHER
OTHER = "other"
UNKNOWN = "unknown"  # a GraphQL request that never got as far as an operation
FLUSH_SECONDS = 1.0  # multi-process mode: a request's numbers reach the files this soon
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
STATEMENT_BUCKETS = (1, 2, 3, 5, 8, 13, 21, 34, 55, 89)
SQL_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
_CODES = frozenset(code.value for code in ErrorCode)
_ROUTE_OP = ("route", "operation")

# name, help text, label names
CounterSpec = tuple[str, str, tuple[str, ...]]
REQUESTS: CounterSpec = (
    "contentapi_requests",
    "HTTP requests answered, by route, GraphQL operation and status",
    (*_ROUTE_OP, "status"),
)
ERRORS: CounterSpec = (
    "contentapi_errors",
    "Errors answered (GraphQL errors and coded HTTP errors), by extensions.code",
    ("code",),
)
HITS: CounterSpec = ("contentapi_cache_hits", "Answers served from the response cache", ())
MISSES: CounterSpec = ("contentapi_cache_misses", "Cacheable requests that were computed", ())
STORE_COUNTERS = {  # the store's own counters (cache/store.py Stats)
    "stores": "Answers kept",
    "invalidations": "Times the cache was emptied by a change",
    "evictions": "Answers dropped to stay within the bound",
}
# name, help text, buckets
DURATION = ("contentapi_request_duration_seconds", "Time to answer a request", LATENCY_BUCKETS)
STATEMENTS = (
    "contentapi_request_sql_statements",
    "SQL statements sent, per request that sent any",
    STATEMENT_BUCKETS,
)
SQL_TIME = (
    "contentapi_request_sql_duration_seconds",
    "Time during which SQL statements ran, per request that sent any",
    SQL_BUCKETS,
)
GAUGES = {  # per process; summed over live workers in multi-process mode
    "contentapi_cache_entries": "Answers kept now",
    "contentapi_cache_bytes": "Bytes the cache holds",
    "contentapi_cache_max_bytes": "The cache's bound",
    "contentapi_persisted_queries": "Persisted query documents known",
    "contentapi_db_pool_size": "Database connections open",
    "contentapi_db_pool_in_use": "Database connections in use now",
    "contentapi_db_pool_max": "Database connections allowed",
}


Names = tuple[str, str, str, tuple[str, ...]]  # metric, sample, help text, label names


class Buckets:
    """One histogram series as plain numbers: a count per bucket (the last: above all
    bounds) and the sum."""

    __slots__ = ("counts", "total")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.counts = [0] * (len(bounds) + 1)
        self.total = 0.0

    def cumulative(self, bounds: tuple[float, ...]) -> list[tuple[str, float]]:
        """``(le, count)`` pairs as the text format has them, ``+Inf`` last."""
        pairs, running = [], 0
        for bound, count in zip((*bounds, float("inf")), self.counts, strict=True):
            running += count
            pairs.append((_le(bound), float(running)))
        return pairs


def _le(bound: float) -> str:
    """A bucket bound as the text format writes it (``0.005``, ``+Inf``)."""
    return str(floatToGoString(bound))  # type: ignore[no-untyped-call]


def multiprocess_dir() -> str | None:
    """The multi-process directory, when prometheus_client was imported with one set."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return path if path and getattr(values.ValueClass, "_multiprocess", False) else None


class Metrics:
    """The app's metrics: counted per request by the edge, the rest read when scraped."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.path = multiprocess_dir()
        self.requests: dict[tuple[str, str, int], int] = {}
        self.durations: dict[tuple[str, str], Buckets] = {}
        self.statements: dict[tuple[str, str], Buckets] = {}
        self.sql_seconds: dict[tuple[str, str], Buckets] = {}
        self.errors: dict[str, int] = {}
        self.hits = 0
        self.misses = 0
        self.queue_depth: int | None = None  # read for each scrape
        # the store's counters and the gauges as a scrape arrived
        self.scraped: tuple[dict[str, int], dict[str, float]] | None = None
        self._operations: set[str] = set()
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(ScrapedCollector(self))
        self.files: ProcessFiles | None = None
        if self.path:
            multiprocess.MultiProcessCollector(self.registry, path=self.path)  # type: ignore[no-untyped-call]
            self.files = ProcessFiles(self)
        else:
            self.registry.register(RequestCollector(self))

    def operation_label(self, name: str | None) -> str:
        """The ``operation`` label for a name: the first :data:`MAX_OPERATIONS` distinct
        names are their own, later ones are ``other``."""
        if name is None:
            return UNKNOWN
        if name in self._operations or name in (ANONYMOUS, INVALID):
            return name
        if len(self._operations) < MAX_OPERATIONS:
            self._operations.add(name)
            return name
        return OTHER

    def observe(self, route: str, info: RequestInfo, status: int, seconds: float) -> None:
        """Count a finished request."""
        operation = ""
        if route == GRAPHQL_ROUTE:
            operation = info.operation or UNKNOWN
            if operation not in self._operations:
                operation = self.operation_label(info.operation)
        key = (route, operation, status)
        self.requests[key] = self.requests.get(key, 0) + 1
        pair = (route, operation)
        series = self.durations.get(pair) or self.durations.setdefault(
            pair, Buckets(LATENCY_BUCKETS)
        )
        series.counts[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        series.total += seconds
        if info.statements:  # not kept answers and probes: they are most requests
            for found, bounds, amount in (
                (self.statements, STATEMENT_BUCKETS, info.statements),
                (self.sql_seconds, SQL_BUCKETS, info.sql_seconds),
            ):
                series = found.get(pair) or found.setdefault(pair, Buckets(bounds))
                series.counts[bisect_left(bounds, amount)] += 1
                series.total += amount
        if info.cache == "hit":
            self.hits += 1
        elif info.cache is not None:
            self.misses += 1
        if info.errors:
            for code in info.errors:
                label = code if code in _CODES else OTHER
                self.errors[label] = self.errors.get(label, 0) + 1
        if self.files is not None:
            self.files.soon()

    def state(self) -> dict[str, float]:
        """The gauges now: the cache's size and the database pool's use."""
        store = self.runtime.cache.store
        now = {
            "contentapi_cache_entries": len(store),
            "contentapi_cache_bytes": store.bytes,
            "contentapi_cache_max_bytes": store.max_bytes,
            "contentapi_persisted_queries": len(self.runtime.persisted),
        }
        use = pool_use()
        if use is not None:
            now["contentapi_db_pool_size"], now["contentapi_db_pool_in_use"] = use[:2]
            now["contentapi_db_pool_max"] = use[2]
        return {name: float(value) for name, value in now.items()}

    def store_counts(self) -> dict[str, int]:
        """The response store's counters (stores, invalidations, evictions)."""
        stats = self.runtime.cache.store.stats
        return {name: int(getattr(stats, name)) for name in STORE_COUNTERS}

    async def page(self) -> bytes:
        """The text a scraper reads (one cheap query: the webhook queue's depth).

        What this process holds is taken as the scrape arrives, before the query lets
        other work run (a change heard meanwhile is the next scrape's)."""
        self.scraped = (self.store_counts(), self.state())
        if self.files is not None and self.path is not None:
            self.files.flush()
            forget_dead_workers(self.path)
        try:
            self.queue_depth = await webhook_queue_depth()
        except Exception as exc:  # the database is away: the rest is still worth reading
            logger.warning("webhook queue depth not read: %s", type(exc).__name__)
            self.queue_depth = None
        return generate_latest(self.registry)


class RequestCollector(Collector):
    """Single process: the numbers as metric families, when scraped."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        """Every family, from the numbers now."""
        m = self.metrics
        name, text, labels = REQUESTS
        family = CounterMetricFamily(name, text, labels=labels)
        for (route, operation, status), count in list(m.requests.items()):
            family.add_metric([route, operation, str(status)], count)
        yield family
        for (name, text, bounds), found in (
            (DURATION, m.durations),
            (STATEMENTS, m.statements),
            (SQL_TIME, m.sql_seconds),
        ):
            histogram = HistogramMetricFamily(name, text, labels=_ROUTE_OP)
            for pair, series in list(found.items()):
                histogram.add_metric(list(pair), series.cumulative(bounds), series.total)
            yield histogram
        name, text, labels = ERRORS
        family = CounterMetricFamily(name, text, labels=labels)
        for code, count in sorted(m.errors.items()):
            family.add_metric([code], count)
        yield family
        for (name, text, _), count in ((HITS, m.hits), (MISSES, m.misses)):
            yield CounterMetricFamily(name, text, value=count)
        counts, state = m.scraped or (m.store_counts(), m.state())
        for key, count in counts.items():
            yield CounterMetricFamily(f"contentapi_cache_{key}", STORE_COUNTERS[key], value=count)
        for name, amount in state.items():
            yield GaugeMetricFamily(name, GAUGES[name], value=amount)


class ProcessFiles:
    """Multi-process mode: this process's numbers written to its files in the directory
    (prometheus_client's own values, as its metric objects write them), as the
    differences since the last write, so a request costs no file write of its own."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self._values: dict[tuple[str, tuple[str, ...]], Any] = {}
        self._written: dict[tuple[Any, ...], Any] = {}
        self._pending: asyncio.TimerHandle | None = None
        atexit.register(self.flush)  # what the last second counted is not lost

    def soon(self) -> None:
        """Write within :data:`FLUSH_SECONDS` (one timer at a time)."""
        if self._pending is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            self._pending = loop.call_later(FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        """Write what changed since the last write."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        m = self.metrics
        name, text, labels = REQUESTS
        for (route, operation, status), count in list(m.requests.items()):
            labelled = (route, operation, str(status))
            self._add("counter", (name, name + "_total", text, labels), labelled, count)
        name, text, labels = ERRORS
        for code, count in list(m.errors.items()):
            self._add("counter", (name, name + "_total", text, labels), (code,), count)
        for (name, text, _), count in ((HITS, m.hits), (MISSES, m.misses)):
            self._add("counter", (name, name + "_total", text, ()), (), count)
        for key, count in m.store_counts().items():
            name = f"contentapi_cache_{key}"
            self._add("counter", (name, name + "_total", STORE_COUNTERS[key], ()), (), count)
        for (name, text, bounds), found in (
            (DURATION, m.durations),
            (STATEMENTS, m.statements),
            (SQL_TIME, m.sql_seconds),
        ):
            bucket = (name, name + "_bucket", text, (*_ROUTE_OP, "le"))
            for pair, series in list(found.items()):
                for bound, count in zip((*bounds, float("inf")), series.counts, strict=True):
                    self._add("histogram", bucket, (*pair, _le(bound)), count)
                self._add("histogram", (name, name + "_sum", text, _ROUTE_OP), pair, series.total)
        for name, amount in m.state().items():
            self._value("gauge", (name, name, GAUGES[name], ()), ()).set(amount)

    def _add(self, kind: str, names: Names, labels: tuple[str, ...], now: float) -> None:
        key = (names[1], labels)
        before = self._written.get(key, 0)
        if now != before:
            self._value(kind, names, labels).inc(now - before)
            self._written[key] = now

    def _value(self, kind: str, names: Names, labels: tuple[str, ...]) -> Any:
        found = self._values.get((names[1], labels))
        if found is not None:
            return found
        if kind == "histogram" and names[1].endswith("_bucket"):
            # all of a new series' buckets at once (at zero), so every ``le`` is in the
            # files from the start, as with prometheus_client's own histograms
            bounds = next(b for n, _, b in (DURATION, STATEMENTS, SQL_TIME) if n == names[0])
            for bound in (*bounds, float("inf")):
                self._make(kind, names, (*labels[:-1], _le(bound)))
            return self._values[(names[1], labels)]
        return self._make(kind, names, labels)

    def _make(self, kind: str, names: Names, labels: tuple[str, ...]) -> Any:
        metric, sample, text, label_names = names
        extra = {"multiprocess_mode": "livesum"} if kind == "gauge" else {}
        made = values.ValueClass(kind, metric, sample, label_names, labels, text, **extra)
        self._values[(sample, labels)] = made
        return made


class ScrapedCollector(Collector):
    """What is one number for the whole database, read by the process scraped."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        """The values read for this scrape."""
        if self.metrics.queue_depth is not None:
            yield GaugeMetricFamily(
                "contentapi_webhook_queue_depth",
                "Webhook deliveries neither delivered nor given up",
                value=self.metrics.queue_depth,
            )


async def webhook_queue_depth() -> int:
    """Deliveries still to be made (not delivered, not given up): one indexed count."""
    pending: int = await WebhookDelivery.filter(
        delivered_at__isnull=True, failed_at__isnull=True
    ).count()
    return pending


def pool_use() -> tuple[int, int, int] | None:
    """Open, in use and allowed connections of the database client (SQLite: its one
    connection); None when there is no client."""
    try:
        client = connections.get("default")
    except Exception:  # not started, or stopped
        return None
    pool = getattr(client, "_pool", None)
    if pool is not None:  # asyncpg
        size = int(pool.get_size())
        return size, size - int(pool.get_idle_size()), int(pool.get_max_size())
    if getattr(client, "filename", None) is not None:  # SQLite: one connection, one lock
        lock = getattr(client, "_lock", None)
        busy = lock is not None and lock.locked()
        return 1, int(busy), 1
    return None


def forget_dead_workers(path: str) -> None:
    """Drop the live gauges of workers that are gone (what ``mark_process_dead`` is for,
    done here so no supervisor has to)."""
    for file in Path(path).glob("gauge_live*_*.db"):
        pid = file.stem.rpartition("_")[2]
        if pid.isdigit() and not _alive(int(pid)):
            multiprocess.mark_process_dead(int(pid), path)  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
