"""API authentication: DRF's token and session schemes, telling the request's limits that staff is calling.

The middleware that bounds statements and routes reads (registry/statement_timeout.py, registry/replicas.py)
runs before DRF knows who holds a token; once a scheme has authenticated the caller, its next statements get
the staff time limit and its reads go to the primary (an archivist reads what they just wrote).
"""

from rest_framework import authentication

from registry import replicas, statement_timeout


def _staff(result):
    if result is not None:
        statement_timeout.widen_for_staff()
        replicas.use_primary()
    return result


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        return _staff(super().authenticate(request))


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        return _staff(super().authenticate(request))
