"""The anonymous response cache, its invalidation across processes, and persisted queries."""
