"""Idempotent creates: a retried create with the same key returns what the first made."""

from contentapi.idempotency.keys import TTL, Claim, fingerprint, once

__all__ = ["TTL", "Claim", "fingerprint", "once"]
