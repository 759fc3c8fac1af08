"""The batch projector builds plain rows (rows.Plain) where the Projector builds model instances: the same
attributes, the model's defaults filled in, so both store the same rows."""

from agreements.projections import rows
from agreements.projections.models import AgreementRecord, ClauseVersion, StatementVersion


def _fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def test_a_plain_row_holds_what_a_model_instance_of_the_same_values_holds():
    record = AgreementRecord(id=7, slug="a-2020")
    values = {"agreement": record, "clause_id": "7b0c3e2a-1f7e-4a53-9a57-6a6c0d6a8c11", "eid": "art_1",
              "text": "Text.", "text_kind": "official"}
    plain, instance = rows.Plain(ClauseVersion)(**values), ClauseVersion(**values)
    for field in _fields(ClauseVersion):
        expected = getattr(instance, field.attname)
        assert rows.Plain(ClauseVersion).values(plain)[_fields(ClauseVersion).index(field)] == expected, field.name


def test_plain_rows_take_fresh_defaults_of_their_own():
    make = rows.Plain(StatementVersion)
    first, second = make(), make()
    first.eids.append("art_1")
    assert second.eids == []


def test_a_plain_rows_key_is_its_pk_as_on_an_instance():
    row = rows.Plain(ClauseVersion)(eid="art_1")
    assert row.pk is None
    row.pk = 5
    assert row.id == 5 and row.pk == 5
