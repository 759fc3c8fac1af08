"""Joins two migrations written side by side: idempotency keys and the search index (independent)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0006_harden_idempotency_keys"),
        ("agreements", "0006_redesign_search"),
    ]
    operations = []
