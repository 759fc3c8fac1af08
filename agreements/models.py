"""Django models of the agreements app: the projections (read models), findings and idempotency keys.

The reference data (parties, sources) is the `sources` app's (sources/models/)."""

from .idempotency.models import IdempotencyKey  # noqa: F401
from .projections.models import (  # noqa: F401
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    Citation,
    ClauseVersion,
    Depositary,
    LifecycleFact,
    ObligationRow,
    Reference,
    Registration,
    Relation,
)
from .findings.models import Finding  # noqa: F401,E402
