"""The public clause browser. Agreements and clauses live at their work URI (see links.py)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from .security import with_csp
from .views import agreement, clause, datasets, sources, diff, feeds, home, parties, search, sitemaps, timeline

app_name = "browser"


class WorkYear:
    regex = r"[0-9]{1,4}|undated"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class Eid:
    regex = r"[a-z]+(?:_[a-z0-9]+)?(?:__[a-z]+(?:_[a-z0-9]+)?)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class AsOf:
    """`@2015-01-01`: the date a page shows, as Akoma Ntoso writes expression dates."""

    regex = r"@[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        import datetime as dt

        return dt.date.fromisoformat(value[1:])  # ValueError (2015-02-30): no match, a 404

    def to_url(self, value):
        return f"@{value.isoformat()}"


register_converter(WorkYear, "workyear")
register_converter(Eid, "eid")
register_converter(AsOf, "asof")

WORK = "akn/int/treaty/<workyear:year>/<slug:slug>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("parties/", parties.party_index, name="parties"),
    path("parties/<str:code>/", parties.party_page, name="party"),
    path("parties/<str:code>/<asof:as_of>/", parties.party_page, name="party-as-of"),
    path("parties/<str:code>/date/", parties.party_date_form, name="party-date"),
    path("search/", search.search, name="search"),
    path("changes.atom", with_csp(feeds.ChangesFeed()), name="feed"),
    path("data/obligations.csv", datasets.obligations_csv, name="obligations-csv"),
    path("data/obligations.parquet", datasets.obligations_parquet, name="obligations-parquet"),
    path("data/obligations/codebook/", datasets.codebook, name="obligations-codebook"),
    path("data/agreements/<slug:slug>/articles.csv", datasets.articles_csv, name="articles-csv"),
    path("sources/<slug:key>/", sources.source_page, name="source"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path(WORK, agreement.agreement_page, name="agreement"),
    path(WORK + "<asof:as_of>/", agreement.agreement_page, name="agreement-as-of"),
    path(WORK + "<eid:eid>/", clause.clause_page, name="clause"),
    path(WORK + "<eid:eid>/<asof:as_of>/", clause.clause_page, name="clause-as-of"),
    path(WORK + "<eid:eid>/diff/", diff.diff_page, name="diff"),
]
