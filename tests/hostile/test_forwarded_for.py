"""The anonymous throttle trusts X-Forwarded-For only as far as the configured proxies (PACTA_NUM_PROXIES):
a caller that sends a new forwarded address with every request is still one caller."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from agreements.api.throttling import AnonymousThrottle


def allowed(requests):
    return sum(AnonymousThrottle().allow_request(Request(r), None) for r in requests)


def from_one_client(n, **meta):
    return [RequestFactory().get("/api/v1/parties/", REMOTE_ADDR="203.0.113.7",
                                 HTTP_X_FORWARDED_FOR=f"198.51.100.{i}", **meta) for i in range(n)]


@pytest.fixture
def three_a_minute(settings):
    settings.PACTA_API_ANON_RATE = "3/minute"


def test_a_new_forwarded_address_per_request_does_not_escape_the_throttle(three_a_minute):
    assert allowed(from_one_client(5)) == 3


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_caller(three_a_minute, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    spoofed = [RequestFactory().get("/api/v1/parties/", REMOTE_ADDR="10.0.0.2",
                                    HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7") for i in range(5)]
    assert allowed(spoofed) == 3  # the proxy appended the real client; what the client wrote before is ignored
    assert allowed(from_one_client(2)) == 2  # other clients behind the proxy count on their own
