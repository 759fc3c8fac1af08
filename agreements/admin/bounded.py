"""Changelists whose cost does not grow with the corpus: a capped count, and filters from the vocabulary.

Django's admin counts every row of the list (twice, with the full-result count) and lists a field filter's
choices with SELECT DISTINCT over the table. Here the count stops at COUNT_CAP rows (beyond that the list
says so; filters and search narrow it), and the kind and publication filters take their choices from the
domain's vocabulary, so a changelist page costs the same with 1,000 or 250,000 agreements.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from agreements.domain.vocabulary import KINDS, PUBLICATION_STATES
from agreements.queries.wording import choices

COUNT_CAP = 1000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (`SELECT COUNT(*) FROM (… LIMIT n)`); `capped` says when it stopped."""

    cap = COUNT_CAP

    @cached_property
    def count(self):
        rows = self.object_list
        if hasattr(rows, "values"):  # a queryset: count keys only, without the row annotations and ordering
            rows = rows.order_by().values("pk")
        return rows[: self.cap + 1].count() if hasattr(rows, "count") else len(rows[: self.cap + 1])

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class VocabularyFilter(admin.SimpleListFilter):
    field = ""
    values: tuple = ()

    def lookups(self, request, model_admin):
        return choices(self.values)

    def queryset(self, request, queryset):
        if self.value() in self.values:
            return queryset.filter(**{self.field: self.value()})
        return queryset


class KindFilter(VocabularyFilter):
    title = gettext_lazy("kind")
    parameter_name = field = "kind"
    values = KINDS


class PublicationFilter(VocabularyFilter):
    title = gettext_lazy("publication")
    parameter_name = field = "publication"
    values = PUBLICATION_STATES
