"""Joins two migrations written side by side: the TRUNCATE trigger and the hash chain (independent of each other)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("eventstore", "0003_harden_no_truncate"),
        ("eventstore", "0003_store_hash_chain"),
    ]
    operations = []
