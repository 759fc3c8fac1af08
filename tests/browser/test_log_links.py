"""The public pages point at the transparency log: the agreement page's 'verify this page', the home page's
signed checkpoint and how many witnesses vouched for it."""

import time

import pytest

from registry.eventstore import checkpoints, note
from registry.eventstore.tasks import sign_checkpoint

pytestmark = pytest.mark.django_db
STRATEGIC = "tr-az-strategic-partnership-2010"


def test_the_agreement_page_links_to_the_proofs_of_the_events_it_rests_on(client):
    page = client.get(f"/akn/int/treaty/2010/{STRATEGIC}/")
    html = page.content.decode()
    assert f'href="/api/v1/agreements/{STRATEGIC}/proofs/"' in html
    assert "Verify this page" in html


def test_the_home_page_says_how_many_witnesses_vouched_for_the_signed_head(client, settings):
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    witness = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    settings.PACTA_LOG_WITNESSES = [witness.verifier().line()]
    sign_checkpoint()  # beat's tick
    latest = checkpoints.latest()
    checkpoints.accept_cosignature(latest.note, note.cosign(note.split(latest.note)[0], witness, int(time.time())))
    html = client.get("/").content.decode()
    assert f"covers <strong>{latest.size}</strong> events" in html
    assert "1 witness vouched for it" in html
