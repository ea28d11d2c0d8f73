"""Translation helpers: machine pre-translation and the PO round trip for content."""
