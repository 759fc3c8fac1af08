"""Content-Security-Policy for the public browser.

The browser's pages load nothing but their own stylesheet: no script, no inline style, no third party.
The policy is a header on every response outside the admin and the API (which have their own needs),
404 pages included, so even a clause text that slipped through escaping could not run.
Settings: PACTA_CSP (the policy), PACTA_CSP_EXEMPT_PREFIXES (paths left alone).
"""

from django.conf import settings

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DEFAULT_EXEMPT_PREFIXES = ("/admin/", "/api/")


def policy() -> str:
    return getattr(settings, "PACTA_CSP", DEFAULT_POLICY)


def applies_to(path: str) -> bool:
    exempt = getattr(settings, "PACTA_CSP_EXEMPT_PREFIXES", DEFAULT_EXEMPT_PREFIXES)
    return not any(path.startswith(prefix) for prefix in exempt)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if applies_to(request.path) and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy()
            response.setdefault("Referrer-Policy", "same-origin")
        return response


def with_csp(view):
    """The same header as a view decorator, for a page served where the middleware is not installed."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy()
        return response

    return wrapped
