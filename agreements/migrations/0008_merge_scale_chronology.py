"""Joins the chronology index (written beside the search and idempotency migrations) to the graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0007_merge_idempotency_and_search"),
        ("agreements", "0006_scale_agreement_chronology_index"),
    ]
    operations = []
