"""Event feeds: the global feed for downstream sync, and one agreement's stream."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from agreements.queries.events import agreement_events, event_feed

from .. import params
from ..examples import SLUG
from ..pagination import feed_page
from ..serializers import ErrorSerializer, FeedPageSerializer
from .base import ApiView


class EventFeedView(ApiView):
    """Every event after `after`, in position order (gap-free, commit order), with a `next` link.

    A consumer that follows `next` from 0 until it is null, and replays, sees every event exactly once.
    Anonymous callers see the events of published agreements only.
    """

    @extend_schema(operation_id="events_list", parameters=params.FEED_PARAMETERS,
                   responses={200: FeedPageSerializer, 400: ErrorSerializer})
    def get(self, request):
        p = params.parse(params.FeedParams, request)
        entries = event_feed(p["after"], p["limit"], self.include_unpublished)
        return Response(FeedPageSerializer(feed_page(request, entries, p["after"], p["limit"])).data)


class AgreementEventsView(ApiView):
    """One agreement's events in stream order; `after` is a stream version here."""

    @extend_schema(operation_id="agreements_events_list", parameters=[SLUG, *params.FEED_PARAMETERS],
                   responses={200: FeedPageSerializer, 400: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, slug):
        p = params.parse(params.FeedParams, request)
        entries = agreement_events(slug, p["after"], p["limit"], self.include_unpublished)
        return Response(FeedPageSerializer(feed_page(request, entries, p["after"], p["limit"],
                                                     key="stream_version")).data)
