# The lifecycle index by action was built beside the reference-data move and the registration facts.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0010_scale_lifecycle_action"),
        ("agreements", "0011_merge_reference_data_and_registration"),
    ]

    operations = []
