"""Django models of the agreements app: the projections (read models), findings, idempotency keys and the counts
the pages share (kept beside the cache).

The reference data (parties, sources) is the `sources` app's (sources/models/)."""

from .idempotency.models import IdempotencyKey  # noqa: F401
from .projections.models import (  # noqa: F401
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    Citation,
    ClauseVersion,
    Depositary,
    EntryIntoForceRuleRow,
    LifecycleFact,
    ObligationRow,
    ParticipationPeriod,
    Reference,
    Registration,
    Relation,
    StatementVersion,
)
from .findings.models import Finding  # noqa: F401,E402
from .queries.models import KeptCount  # noqa: F401,E402
