"""A copy that follows a log with no token holds the positions hidden from it as placeholders (store.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0006_no_payload_statistics")]

    operations = [
        migrations.CreateModel(
            name="HeldPlaceholder",
            fields=[
                ("position", models.BigIntegerField(primary_key=True, serialize=False)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
                ("leaf_hash", models.BinaryField(max_length=32)),
            ],
            options={"db_table": "pacta_event_placeholder"},
        ),
    ]
