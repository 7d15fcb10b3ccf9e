"""A Coze-compatible HTTP server on loopback: the demo bot and the test double."""
