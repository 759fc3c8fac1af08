"""Batch reads split long lists of keys into chunks, so a read of the whole corpus stays a few queries."""

CHUNK = 500


def chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]
