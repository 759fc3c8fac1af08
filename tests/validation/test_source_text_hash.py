"""Sources record the SHA-256 of their text: a supplied text is verified against it, and where the text is
not supplied the quotes are "not checked" (no finding), not a flood of findings."""

import hashlib

import pytest
import yaml

from agreements.seeding import SeedError, load_sources
from agreements.validation.citations import (
    CHECKED, NOT_CHECKED, QUOTE_NOT_FOUND, UNCHECKABLE, CitationCheck, check_state,
)
from agreements.validation.findings import record
from agreements.findings.models import Finding
from agreements.models import Citation
from sources.models import Source

pytestmark = pytest.mark.django_db
TEXT = "The parties will act together to eliminate the mentioned threats and dangers.\n"


def sources_file(tmp_path, digest):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump([{
        "key": "hash-test-source", "title": "Hash test", "publisher": "Test", "published": "2023",
        "language": "en", "kind": "analysis", "snapshot_file": "hash-test.txt", "text_sha256": digest,
    }]))
    return path


def test_a_supplied_text_with_the_recorded_hash_is_stored(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "hash-test.txt").write_text(TEXT)
    load_sources(sources_file(tmp_path, hashlib.sha256(TEXT.encode()).hexdigest()), texts)
    assert Source.objects.get(key="hash-test-source").snapshot_text == TEXT


def test_a_supplied_text_with_another_hash_is_refused(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "hash-test.txt").write_text(TEXT + "An edit.\n")
    with pytest.raises(SeedError, match="not the text the citations were checked against"):
        load_sources(sources_file(tmp_path, hashlib.sha256(TEXT.encode()).hexdigest()), texts)


def test_without_the_text_the_hash_is_recorded_and_the_quotes_are_not_checked(tmp_path):
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    load_sources(sources_file(tmp_path, digest), tmp_path / "no-texts")
    assert Source.objects.get(key="hash-test-source").text_sha256 == digest


def test_citations_of_a_source_known_by_hash_only_give_no_finding():
    source = Source.objects.get(key="usc-dornsife-2023")
    source.snapshot_text = ""
    source.save()
    assert source.text_sha256  # recorded by the seeds
    citations = list(Citation.objects.filter(source=source).select_related("source", "agreement"))
    assert citations and {check_state(c) for c in citations} == {NOT_CHECKED}
    record(*CitationCheck().check_agreements(sorted({c.agreement.slug for c in citations})))
    assert not Finding.objects.filter(source_id=source.pk, resolved_at__isnull=True).exists()


def test_check_states_of_a_citation():
    citation = Citation.objects.filter(source__key="usc-dornsife-2023").select_related("source").first()
    citation.source.snapshot_text = f"... {citation.quote} ..."
    assert check_state(citation) == CHECKED
    citation.source.snapshot_text = "Another text."
    assert check_state(citation) == QUOTE_NOT_FOUND
    citation.source.snapshot_text, citation.source.text_sha256 = "", ""
    assert check_state(citation) == UNCHECKABLE
