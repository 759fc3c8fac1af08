"""Idempotency keys of the write API (IETF "Idempotency-Key HTTP header field" draft, as Stripe practises it)."""
