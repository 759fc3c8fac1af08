"""The REST API v1 (DRF): thin views and serializers over agreements.queries and agreements.services."""

from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .views.agreements import AgreementDetailView, AgreementListView, ClauseDetailView
from .views.events import AgreementEventsView, EventFeedView
from .views.findings import FindingListView
from .views.reference import PartyDetailView, PartyListView, SourceDetailView, SourceListView
from .views.search import SearchView
from .views.writes import CommandView


class EidConverter:
    regex = r"[a-z][a-z0-9_]*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CodeConverter(EidConverter):
    regex = r"[A-Za-z0-9][A-Za-z0-9-]*"


register_converter(EidConverter, "eid")
register_converter(CodeConverter, "code")

app_name = "api"

urlpatterns = [
    path("v1/agreements/", AgreementListView.as_view(), name="agreement-list"),
    path("v1/agreements/<slug:slug>/", AgreementDetailView.as_view(), name="agreement-detail"),
    path("v1/agreements/<slug:slug>/clauses/<eid:eid>/", ClauseDetailView.as_view(), name="clause-detail"),
    path("v1/agreements/<slug:slug>/events/", AgreementEventsView.as_view(), name="agreement-events"),
    path("v1/agreements/<slug:slug>/commands/", CommandView.as_view(), name="agreement-commands"),
    path("v1/events/", EventFeedView.as_view(), name="event-feed"),
    path("v1/parties/", PartyListView.as_view(), name="party-list"),
    path("v1/parties/<code:code>/", PartyDetailView.as_view(), name="party-detail"),
    path("v1/sources/", SourceListView.as_view(), name="source-list"),
    path("v1/sources/<slug:key>/", SourceDetailView.as_view(), name="source-detail"),
    path("v1/findings/", FindingListView.as_view(), name="finding-list"),
    path("v1/search/", SearchView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
