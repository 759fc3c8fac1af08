"""Joins the obligations table (written beside the search, idempotency and chronology migrations) to the graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0008_merge_scale_chronology"),
        ("agreements", "0006_research_obligations"),
    ]
    operations = []
