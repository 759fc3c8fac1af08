"""The counts pages share (the corpus summary, a party's partners) are kept in the database beside the cache, so
that an emptied cache does not make a reader wait for a count over the whole corpus (agreements/queries/models.py).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0017_search_keys_without_a_parse'),
    ]

    operations = [
        migrations.CreateModel(
            name='KeptCount',
            fields=[
                ('key', models.CharField(max_length=200, primary_key=True, serialize=False)),
                ('position', models.BigIntegerField()),
                ('computed_at', models.FloatField()),
                ('value', models.BinaryField()),
            ],
            options={
                'db_table': 'pacta_kept_count',
            },
        ),
    ]
