"""``/metrics`` in the Prometheus text format: the response cache's counters (this process).

Built on ``prometheus_client`` with a collector that reads the counters when scraped, so
nothing on the request path updates a metric object.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from contentapi.runtime import Runtime

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class CacheCollector(Collector):
    """The cache's counters and size as metrics."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        """Read the counters now."""
        store = self.runtime.cache.store
        stats = store.stats
        for name, value, text in (
            ("hits", stats.hits, "Answers served from the response cache"),
            ("misses", stats.misses, "Cacheable requests that were computed"),
            ("stores", stats.stores, "Answers kept"),
            ("invalidations", stats.invalidations, "Times the cache was emptied by a change"),
            ("evictions", stats.evictions, "Answers dropped to stay within the bound"),
        ):
            yield CounterMetricFamily(f"contentapi_cache_{name}", text, value=value)
        yield GaugeMetricFamily("contentapi_cache_entries", "Answers kept now", value=len(store))
        yield GaugeMetricFamily(
            "contentapi_cache_bytes", "Bytes the cache holds", value=store.bytes
        )
        yield GaugeMetricFamily(
            "contentapi_cache_max_bytes", "The cache's bound", value=store.max_bytes
        )
        yield GaugeMetricFamily(
            "contentapi_persisted_queries",
            "Persisted query documents known",
            value=len(self.runtime.persisted),
        )


def registry_for(runtime: Runtime) -> CollectorRegistry:
    """A registry of this app's metrics (not the library's global one)."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(CacheCollector(runtime))
    return registry


def exposition(registry: CollectorRegistry) -> bytes:
    """The text a scraper reads."""
    return generate_latest(registry)
