"""The reference data: parties and sources, edited directly (not event-sourced), with history.

The agreements cite them by code and key; the citations themselves are a projection of the agreements'
events (agreements/projections/models.py).
"""

from .parties import Party, PartyName  # noqa: F401
from .legacy import LegacySourceKey, legacy_source_keys, remember_legacy_source_keys  # noqa: F401
from .sources import SOURCE_KINDS, Source, resolve_source  # noqa: F401
