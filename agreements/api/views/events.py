"""Event feeds: the global feed for downstream sync, and one agreement's stream."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from agreements.queries.events import agreement_events, event_feed, log_head
from agreements.queries.log import signed_head

from ..examples import SLUG
from ..pagination import FEED_PARAMETERS, feed_page, feed_params
from ..serializers import ErrorSerializer, FeedPageSerializer
from .base import ApiView


class EventFeedView(ApiView):
    """Every event after `after`, in position order (gap-free, commit order), with a `next` link.

    A consumer that follows `next` from 0 until it is null, and replays, sees every event exactly once.
    Anonymous callers see the events of published agreements only; every other position is a placeholder
    with `position`, `prev_hash`, `hash` and `leaf_hash`, so anyone can check every link of the hash chain
    and recompute the Merkle tree. The response header `X-Pacta-Head: <position> <hash> <checkpoint size>
    <checkpoint root>` is the head of the log and the latest checkpoint signed so far (/api/v1/log/checkpoint
    signs a new one when it is due; the last two are left out until there is one).
    """

    @extend_schema(operation_id="events_list", parameters=FEED_PARAMETERS,
                   responses={200: FeedPageSerializer, 400: ErrorSerializer})
    def get(self, request):
        after, page_size = feed_params(request)
        entries = event_feed(after, page_size, self.include_unpublished)
        head, signed = log_head(), signed_head()
        value = f"{head.position} {head.hash}" + (f" {signed.size} {signed.root}" if signed else "")
        return Response(FeedPageSerializer(feed_page(request, entries, after, page_size)).data,
                        headers={"X-Pacta-Head": value})


class AgreementEventsView(ApiView):
    """One agreement's events in stream order; `after` is a stream version here."""

    @extend_schema(operation_id="agreements_events_list", parameters=[SLUG, *FEED_PARAMETERS],
                   responses={200: FeedPageSerializer, 400: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, slug):
        after, page_size = feed_params(request)
        entries = agreement_events(slug, after, page_size, self.include_unpublished)
        return Response(FeedPageSerializer(feed_page(request, entries, after, page_size, key="stream_version")).data)
