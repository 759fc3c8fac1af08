"""Validation: findings about cross-references, relations, lifecycles and citations (Celery tasks, checks)."""
