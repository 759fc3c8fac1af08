"""The public clause browser. Agreements and clauses live at their work URI (see links.py)."""

from django.urls import path, register_converter

from agreements.domain.vocabulary import EID_PATTERN

from .security import with_csp
from .views import (agreement, clause, datasets, diff, feeds, home, participation, parties, search, sitemaps, sources,
                    timeline, works)

app_name = "browser"


class WorkYear:
    regex = r"[0-9]{1,4}|undated"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class Eid:
    regex = EID_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class AsOf:
    """`@2015-01-01`: the date a page shows, as Akoma Ntoso writes expression dates (`@2015`, `@2015-06`:
    the last day of that year or month)."""

    regex = r"@[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"

    def to_python(self, value):
        from agreements.queries.time import BadTime, parse_day

        try:
            return parse_day(value[1:])
        except BadTime as exc:  # 2015-02-30: no match, a 404
            raise ValueError(str(exc)) from None

    def to_url(self, value):
        return f"@{value.isoformat()}"


class OtherWork:
    """A work URI the registry did not mint (an imported document): country, type, optional parts, date, name."""

    regex = (r"(?!int/treaty/)[a-z]{2,3}(?:-[a-z0-9]+)?/[a-zA-Z]+(?:/[A-Za-z0-9._~\-]+)*?"
             r"/[0-9]{4}(?:-[0-9]{2}-[0-9]{2})?/[A-Za-z0-9._~\-]+")

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(WorkYear, "workyear")
register_converter(OtherWork, "otherwork")
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
    path("data/agreements/<slug:slug>/participation.csv", participation.participation_csv, name="participation-csv"),
    path("data/agreements/<slug:slug>/participation.parquet", participation.participation_parquet,
         name="participation-parquet"),
    path("data/agreements/<slug:slug>/statements.csv", participation.statements_csv, name="statements-csv"),
    path("data/agreements/<slug:slug>/statements.parquet", participation.statements_parquet, name="statements-parquet"),
    path("sources/<slug:key>/", sources.source_page, name="source"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemaps/<slug:section>-<int:number>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path(WORK, agreement.agreement_page, name="agreement"),
    path(WORK + "<asof:as_of>/", agreement.agreement_page, name="agreement-as-of"),
    path(WORK + "participation/", participation.participation_page, name="participation"),
    path(WORK + "participation/<asof:as_of>/", participation.participation_page, name="participation-as-of"),
    path(WORK + "<eid:eid>/", clause.clause_page, name="clause"),
    path(WORK + "<eid:eid>/<asof:as_of>/", clause.clause_page, name="clause-as-of"),
    path(WORK + "<eid:eid>/diff/", diff.diff_page, name="diff"),
    path("akn/<otherwork:work>/", works.agreement_page, name="work"),
    path("akn/<otherwork:work>/<asof:as_of>/", works.agreement_page, name="work-as-of"),
    path("akn/<otherwork:work>/<eid:eid>/", works.clause_page, name="work-clause"),
    path("akn/<otherwork:work>/<eid:eid>/<asof:as_of>/", works.clause_page, name="work-clause-as-of"),
    path("akn/<otherwork:work>/<eid:eid>/diff/", works.diff_page, name="work-diff"),
]
