"""The public clause browser: server-rendered, read-only pages over agreements.queries."""
