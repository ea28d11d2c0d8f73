"""Full-text search of article translations with Norwegian stemming (both databases)."""
