"""Assessment use cases, one module per sub-area; each function flushes and the caller commits."""
