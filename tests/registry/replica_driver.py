"""Run inside a Django process pointed at the temporary pair (see test_replicas.py); prints one JSON line.

`write SLUG`: draft, fill and publish an agreement on the primary through the write path.
`get PATH [TOKEN]`: read a page as the public (or with an API token) and report what came back.
"""

import json
import sys

import django

django.setup()


def write(slug: str) -> dict:
    from agreements import services
    from agreements.domain.commands import parse_command

    for kind, fields in [
        ("DraftAgreement", {"slug": slug, "title": f"Agreement {slug}", "kind": "agreement"}),
        ("AddClause", {"eid": "art_1", "number": "1", "heading": "Purpose", "text": "Replicated wording.",
                       "text_kind": "official"}),
        ("SubmitForReview", {}),
        ("Publish", {"uncited_reason": "test texts cite no source"}),
    ]:
        services.handle(parse_command(kind, fields), slug=slug)
    from registry.eventstore.store import last_position

    return {"position": last_position()}


def get(path: str, token: str = "") -> dict:
    from django.test import Client

    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    response = Client().get(path, **headers)
    return {
        "status": response.status_code,
        "position": response.headers.get("X-Pacta-Position"),
        "body": response.content.decode(),
    }


if __name__ == "__main__":
    action, *args = sys.argv[1:]
    print(json.dumps({"write": write, "get": get}[action](*args)))
