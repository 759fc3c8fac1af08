"""What the people who run Pacta need: health and readiness, metrics, structured logs, the dead-letter table.

One module per concern: `health` (the readiness conditions and /healthz, /readyz), `request_id` (X-Request-ID,
carried into logs, Celery jobs and events), `logs` (JSON lines), `metrics` (Prometheus, /metrics),
`models` (a copy's follow status, dead letters), `jobs` (time limits, retries and the dead-letter path of
Celery tasks).
"""
