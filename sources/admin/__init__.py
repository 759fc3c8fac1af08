"""The reference data's admin: parties and sources, edited directly, with history and revert (simple-history)."""

from . import parties, sources  # noqa: F401  (each registers its pages)
