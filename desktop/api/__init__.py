"""Qt-free Coze OpenAPI client: SSE decoding, typed events, errors with diagnoses."""
