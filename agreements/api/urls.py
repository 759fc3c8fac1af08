"""The REST API v1 (DRF): thin views and serializers over agreements.queries and agreements.services."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .views.agreements import (AgreementClausesView, AgreementDetailView, AgreementListView, AgreementParticipantsView,
                               ClauseDetailView)
from .views.events import AgreementEventsView, EventFeedView
from .views.findings import FindingListView
from .views.log import (AgreementProofsView, LogCheckpointView, LogConsistencyView, LogCosignaturesView,
                        LogInclusionView, LogKeyView, LogTileView)
from .views.obligations import ObligationListView
from .views.participation import ParticipationView, StatementsView
from .views.reference import PartyDetailView, PartyListView, SourceDetailView, SourceListView
from .views.search import SearchView
from .views.base import NotFoundView
from .views.root import ApiRootView
from .views.docs import RedocView
from .views.writes import CommandView

app_name = "api"

urlpatterns = [
    path("v1/", ApiRootView.as_view(), name="root"),
    path("v1/agreements/", AgreementListView.as_view(), name="agreement-list"),
    # `path` converters: any value reaches the view, which answers a JSON 404 for what does not exist.
    path("v1/agreements/<path:slug>/clauses/", AgreementClausesView.as_view(), name="agreement-clauses"),
    path("v1/agreements/<path:slug>/clauses/<path:eid>/", ClauseDetailView.as_view(), name="clause-detail"),
    path("v1/agreements/<path:slug>/events/", AgreementEventsView.as_view(), name="agreement-events"),
    path("v1/agreements/<path:slug>/commands/", CommandView.as_view(), name="agreement-commands"),
    path("v1/agreements/<path:slug>/proofs/", AgreementProofsView.as_view(), name="agreement-proofs"),
    path("v1/agreements/<path:slug>/participants/", AgreementParticipantsView.as_view(), name="agreement-participants"),
    path("v1/agreements/<path:slug>/participation/", ParticipationView.as_view(), name="agreement-participation"),
    path("v1/agreements/<path:slug>/statements/", StatementsView.as_view(), name="agreement-statements"),
    path("v1/agreements/<path:slug>/", AgreementDetailView.as_view(), name="agreement-detail"),
    path("v1/events/", EventFeedView.as_view(), name="event-feed"),
    path("v1/log/checkpoint", LogCheckpointView.as_view(), name="log-checkpoint"),
    path("v1/log/key", LogKeyView.as_view(), name="log-key"),
    path("v1/log/inclusion", LogInclusionView.as_view(), name="log-inclusion"),
    path("v1/log/consistency", LogConsistencyView.as_view(), name="log-consistency"),
    path("v1/log/cosignatures", LogCosignaturesView.as_view(), name="log-cosignatures"),
    path("v1/log/tile/<path:tile>", LogTileView.as_view(), name="log-tile"),  # C2SP tlog-tiles
    path("v1/parties/", PartyListView.as_view(), name="party-list"),
    path("v1/parties/<path:code>/", PartyDetailView.as_view(), name="party-detail"),
    path("v1/sources/", SourceListView.as_view(), name="source-list"),
    path("v1/sources/<path:key>/", SourceDetailView.as_view(), name="source-detail"),
    path("v1/findings/", FindingListView.as_view(), name="finding-list"),
    path("v1/obligations/", ObligationListView.as_view(), name="obligation-list"),
    path("v1/search/", SearchView.as_view(), name="search"),
    re_path(r"^v1/", NotFoundView.as_view(), name="not-found"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
]
