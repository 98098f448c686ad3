"""Posts: the API and the reader-facing pages."""
