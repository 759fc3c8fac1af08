"""What the queries keep of their own: the last value of each count shared between pages (summaries.py).

Not a read model of the events (nothing is projected into it, and a rebuild leaves it alone): a copy of the
shared cache's entry, so that an emptied cache (a Redis restarted or flushed) does not make the next reader wait
for a count over the whole corpus (3.3 s at a million agreements). The value is pickled, as the cache itself
keeps it; only the registry's own processes write it.
"""

from django.db import models


class KeptCount(models.Model):
    key = models.CharField(max_length=200, primary_key=True)  # the cache's key (summaries._key)
    position = models.BigIntegerField()  # the feed position the value reflects
    computed_at = models.FloatField()  # seconds since the epoch (time.time()), as the cache's entry holds it
    value = models.BinaryField()

    class Meta:
        db_table = "pacta_kept_count"
