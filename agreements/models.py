"""Django models of the agreements app: reference data (parties) and the projections (read models)."""

from .idempotency.models import IdempotencyKey  # noqa: F401
from .parties.models import Party, PartyName  # noqa: F401
from .projections.models import (  # noqa: F401
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    ClauseVersion,
    Depositary,
    LifecycleFact,
    ObligationRow,
    Reference,
    Registration,
    Relation,
)
from .findings.models import Finding  # noqa: F401,E402
