"""`EXISTS` for a column of a page, asked row by row: what keeps a page's cost independent of the corpus.

PostgreSQL may run an `EXISTS (…)` that sits in a select list or a `CASE` as a *hashed* subplan: it reads
every row the subquery could ever return (every published agreement, every lifecycle fact of the corpus)
into a hash table once per query, and probes it per row. For a page of 50 rows that is a pass over the
whole corpus per request. A scalar `(SELECT … LIMIT 1) IS NOT NULL` is never hashed: it runs per row of
the page, each time one index lookup. Use `Exists` in a `WHERE` (the planner turns it into a semi-join,
which is right for filters) and `exists_per_row` for what a page shows.
"""

from __future__ import annotations

from django.db.models import QuerySet, Subquery
from django.db.models.lookups import IsNull


def exists_per_row(rows: QuerySet) -> IsNull:
    """True when `rows` (correlated with OuterRef) has a row, asked per outer row through its indexes."""
    return IsNull(Subquery(rows.order_by().values("pk")[:1]), False)
