"""A party's rows carry their agreement's slug, indexed after the party's code, so that the agreements of a party
are read in the lists' order (by slug) from one index range.

The agreement list filtered by a party (`?party=`) asked for the first page of agreements in slug order that have
a current row for the party. PostgreSQL walked the agreements in slug order and probed each one's party rows: fine
for a party to every tenth agreement (501 probes for a page of 51), but for a rare party it walked them all
(a party with no agreement: 100,000 probes and 250 ms at 100,000 agreements, measured; ten times that at a
million). With the slug beside the party's code, the page is the first 51 entries of `party_current_slug_idx`
past the cursor, whatever the party's share of the corpus.

A slug never changes once an agreement is drafted, so the copy cannot go stale; existing rows take it from their
agreement here.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = ("UPDATE pacta_agreement_party SET agreement_slug = "
        "(SELECT slug FROM pacta_agreement WHERE pacta_agreement.id = pacta_agreement_party.agreement_id)")


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0015_clause_words_split_without_a_regular_expression"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreementparty",
            name="agreement_slug",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        # A relation over that column with no column of its own: state only (SQLite's schema editor would remake
        # the table for it, and cannot remove it again: ForeignObject has no db_constraint).
        migrations.SeparateDatabaseAndState(state_operations=[migrations.AddField(
            model_name="agreementparty",
            name="agreement_by_slug",
            field=models.ForeignObject(default=None, from_fields=["agreement_slug"],
                                       on_delete=django.db.models.deletion.DO_NOTHING,
                                       related_name="party_rows_by_slug", to="agreements.agreementrecord",
                                       to_fields=["slug"]),
            preserve_default=False,
        )]),
        migrations.AddIndex(
            model_name="agreementparty",
            index=models.Index(condition=models.Q(("known_to__isnull", True)), fields=["party_code", "agreement_slug"],
                               name="party_current_slug_idx"),
        ),
    ]
