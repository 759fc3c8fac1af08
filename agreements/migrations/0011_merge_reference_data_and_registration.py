# The reference-data move and the registration facts were built side by side; neither touches the other.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0010_citation_joins_projections'),
        ('agreements', '0010_registration_and_depositary'),
    ]

    operations = [
    ]
