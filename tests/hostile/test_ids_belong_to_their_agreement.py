"""An id given in a command must belong to the agreement it is sent to: an archivist working on one agreement
cannot reach another's obligation codings or citations by naming their public ids, and a rebuild of what may
already be stored keeps each agreement's rows to itself (domain/ownership.py)."""

import pytest

from agreements import services
from agreements.domain.commands import parse_command
from agreements.domain.errors import RuleViolated
from agreements.models import ObligationRow
from agreements.projections.rebuild import rebuild

pytestmark = pytest.mark.django_db

STRATEGIC = "tr-az-strategic-partnership-2010"
OTTOMAN = "ottoman-az-1918"


def send(slug, type_, **fields):
    return services.handle(parse_command(type_, fields), slug=slug)


def strategic_obligation_id():
    return str(ObligationRow.objects.filter(agreement__slug=STRATEGIC, known_to__isnull=True)
               .values_list("obligation_id", flat=True).first())


def live_codings(slug):
    return ObligationRow.objects.filter(agreement__slug=slug, known_to__isnull=True).count()


def test_coding_an_obligation_under_another_agreements_obligation_id_is_refused():
    with pytest.raises(RuleViolated) as refused:
        send(OTTOMAN, "CodeObligation", eid="art_4", obligation="consultation", modality="obliges",
             obligation_id=strategic_obligation_id())
    assert refused.value.rule == "id_of_another_agreement" and refused.value.field == "obligation_id"


def test_uncoding_another_agreements_obligation_is_refused_and_leaves_it_coded():
    before = live_codings(STRATEGIC)
    with pytest.raises(RuleViolated) as refused:
        send(OTTOMAN, "UncodeObligation", obligation_id=strategic_obligation_id(), reason="not mine")
    assert refused.value.rule in ("id_of_another_agreement", "unknown_obligation")
    assert live_codings(STRATEGIC) == before


def test_attaching_a_citation_under_another_agreements_citation_id_is_refused():
    from agreements.models import Citation

    foreign = str(Citation.objects.filter(agreement__slug=STRATEGIC).values_list("citation_id", flat=True).first())
    source = Citation.objects.filter(agreement__slug=STRATEGIC).first()
    with pytest.raises(RuleViolated) as refused:
        send(OTTOMAN, "AttachCitation", source=source.source.key, citation_id=foreign)
    assert refused.value.rule == "id_of_another_agreement" and refused.value.field == "citation_id"


def test_a_stored_uncoding_under_another_agreements_id_withdraws_nothing_of_that_agreement_on_rebuild():
    """History written before the rule: A coded under B's id, then uncoded it. B keeps its codings."""
    from registry.eventstore import store
    from registry.eventstore.store import NewEvent
    from agreements.domain.identities import stream_id
    from agreements.models import AgreementRecord

    before = live_codings(STRATEGIC)
    ottoman = AgreementRecord.objects.get(slug=OTTOMAN)
    store.append(stream_id(OTTOMAN), ottoman.version, [
        NewEvent("ObligationUncoded", {"obligation_id": strategic_obligation_id(), "reason": "stored before"})])
    rebuild()
    assert live_codings(STRATEGIC) == before
