"""`manage.py import_agreements FILE... [--dry-run]`: progress, every problem with file, agreement and field;
a file with an error writes nothing."""

import io
import textwrap

import pytest

pytestmark = pytest.mark.django_db
from django.core.management import CommandError, call_command

from agreements.models import AgreementRecord
from registry.eventstore.models import StoredEvent

GOOD = """
slug: tr-az-import-test-2024
title: Imported Test Agreement
kind: agreement
work_date: "2024-01-15"
publication: draft
parties:
  - {party: TUR}
  - {party: AZE}
lifecycle:
  - {action: signature, date: "2024-01-15"}
clauses:
  - {eid: art_1, number: "1", text: First article., text_kind: summary}
  - eid: art_2
    number: "2"
    text: Second article.
    text_kind: summary
    references: [{target: un-charter-1945, target_eid: art_51}]
relations:
  - {relation: refers_to, target: tr-az-import-other-2024}
"""

OTHER = """
slug: tr-az-import-other-2024
title: The Other One
kind: protocol
work_date: "2024-02"
clauses:
  - {eid: art_1, text: Only article., text_kind: official}
"""

BAD_DATE = """
slug: tr-az-bad-date-2024
title: Bad Date
kind: agreement
clauses:
  - {eid: art_1, text: One., text_kind: summary, effective: "2024-13-99"}
"""

BAD_PARTY = """
slug: tr-az-bad-party-2024
title: Bad Party
kind: agreement
parties:
  - {party: TUR}
  - {party: NOWHERE}
clauses:
  - {eid: art_1, text: One., text_kind: summary}
"""


@pytest.fixture
def files(tmp_path):
    def write(name, body):
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(body), encoding="utf-8")
        return str(path)

    return write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_agreements", *args, stdout=out, stderr=err)
        failed = None
    except CommandError as exc:
        failed = exc
    return out.getvalue(), err.getvalue(), failed


def stream(slug):
    return StoredEvent.objects.filter(stream_id=f"agreement:{slug}")


def test_import_runs_files_that_refer_to_each_other(files):
    out, err, failed = run(files("good", GOOD), files("other", OTHER))
    assert failed is None, err
    assert "imported 2 agreement(s)" in out
    assert AgreementRecord.objects.get(slug="tr-az-import-test-2024").publication == "draft"
    assert stream("tr-az-import-test-2024").filter(type="RelationAdded").exists()


def test_importing_the_same_file_twice_appends_nothing(files):
    good, other = files("good", GOOD), files("other", OTHER)
    run(good, other)
    count = StoredEvent.objects.count()
    out, _, failed = run(good, other)
    assert failed is None and "0 event(s)" in out and StoredEvent.objects.count() == count


def test_dry_run_writes_nothing(files):
    before = StoredEvent.objects.count()
    out, err, failed = run(files("good", GOOD), files("other", OTHER), "--dry-run")
    assert failed is None, err
    assert "would import 2 agreement(s)" in out and "nothing was written" in out
    assert StoredEvent.objects.count() == before
    assert not AgreementRecord.objects.filter(slug="tr-az-import-test-2024").exists()


def test_field_error_names_file_agreement_and_field_and_that_file_writes_nothing(files):
    bad = files("bad-date", BAD_DATE)
    out, err, failed = run(bad, files("other", OTHER))
    assert failed is not None
    assert f"ERROR {bad}: tr-az-bad-date-2024: clauses[0].effective: " in err
    assert "not a valid EDTF date" in err
    assert not AgreementRecord.objects.filter(slug="tr-az-bad-date-2024").exists()
    assert AgreementRecord.objects.filter(slug="tr-az-import-other-2024").exists()  # the good file is imported


def test_rule_error_in_a_file_rolls_back_that_whole_file(files):
    bad = files("bad-party", BAD_PARTY)
    _, err, failed = run(bad)
    assert failed is not None
    assert f"ERROR {bad}: tr-az-bad-party-2024: parties[1].party: " in err and "NOWHERE" in err
    assert not stream("tr-az-bad-party-2024").exists()  # not even the draft and the first party


def test_every_problem_of_every_file_is_reported(files):
    bad_date, bad_party, broken = files("bad-date", BAD_DATE), files("bad-party", BAD_PARTY), files("broken", "a: [")
    _, err, failed = run(bad_date, bad_party, broken, "/no/such/file.yaml")
    assert str(failed) == "4 problem(s) found"
    for name in (bad_date, bad_party, broken, "/no/such/file.yaml"):
        assert f"ERROR {name}:" in err


LAUGHS = """
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
slug: *g
"""


def test_a_yaml_alias_bomb_is_refused_at_once_without_expanding_it(files):
    _, err, failed = run(files("laughs", LAUGHS))
    assert failed is not None
    assert "aliases (*name) are not allowed" in err
    assert len(err) < 2_000


def test_a_huge_value_is_quoted_only_in_part_in_the_error(files):
    _, err, failed = run(files("huge", f"slug: [{', '.join(['x' * 50] * 20_000)}]\ntitle: t\nkind: treaty\n"))
    assert failed is not None and "ERROR" in err
    assert max(len(line) for line in err.splitlines()) < 2_000


def test_a_file_over_the_size_limit_is_refused_unread(files, settings):
    settings.PACTA_IMPORT_MAX_BYTES = 1_000
    _, err, failed = run(files("big", GOOD + "#" * 2_000 + "\n"))
    assert failed is not None and "files of at most 1000 bytes are read" in err


def test_yaml_nested_too_deeply_is_a_clear_error(files):
    _, err, failed = run(files("deep", "slug: " + "[" * 100_000 + "]" * 100_000 + "\n"))
    assert failed is not None and "nested too deeply" in err


def test_new_agreements_are_imported_in_bulk_and_project_as_a_rebuild_would(files):
    from agreements.projections.rebuild import projection_hash, rebuild

    run(files("good", GOOD), files("other", OTHER))
    imported = projection_hash()
    rebuild()
    assert projection_hash() == imported


def test_a_file_grown_since_its_import_appends_only_its_new_facts(files):
    good = files("good", GOOD)
    run(good, files("other", OTHER))
    before = stream("tr-az-import-test-2024").count()
    grown = GOOD.replace("clauses:\n", "clauses:\n  - {eid: art_9, number: \"9\", text: Ninth., text_kind: summary}\n")
    out, err, failed = run(files("good", grown), files("other", OTHER))
    assert failed is None, err
    assert stream("tr-az-import-test-2024").count() == before + 1


UNCITED_PUBLISHED = """
slug: tr-az-uncited-2024
title: Uncited Agreement
kind: agreement
publication: published
clauses:
  - {eid: art_1, text: One., text_kind: summary}
"""


def test_a_published_file_with_uncited_facts_needs_a_publication_reason(files):
    _, err, failed = run(files("uncited", UNCITED_PUBLISHED))
    assert failed and "uncited_reason" in err and "cite no source" in err
    assert not stream("tr-az-uncited-2024").exists()
    _, _, failed = run(files("uncited", UNCITED_PUBLISHED + "publication_reason: Entered from the archive copy.\n"))
    assert failed is None
    assert stream("tr-az-uncited-2024").get(type="Published").payload["uncited_reason"] == "Entered from the archive copy."


def test_a_nul_character_is_refused_naming_file_and_line_and_writes_nothing(files):
    count = StoredEvent.objects.count()
    path = files("nul", GOOD.replace("text: Second article.", 'text: "Second\\0article."'))
    _, err, failed = run(path)
    assert failed is not None and f"ERROR {path}: -: line 16: a NUL character" in err
    assert StoredEvent.objects.count() == count
