"""The published schema says what the server does: anonymous reads, throttling, limits, links; the API root."""

import re

import pytest

from .conftest import STRATEGIC

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterns(value)


# \s \S \d \D \w \W \b \B: an unescaped backslash before one of them.
ENGINE_CLASSES = re.compile(r"(?<!\\)(?:\\\\)*\\[sSdDwWbB]")


def test_every_pattern_of_the_schema_means_what_the_server_holds_it_to(schema):
    # The classes above differ between the schema's ECMA-262 and the server's Python (Unicode whitespace and
    # digits): a source address ending in U+001F was valid by the schema and refused by the server.
    found = list(patterns(schema))
    assert len(found) > 20 and [p for p in found if ENGINE_CLASSES.search(p)] == []


def test_every_read_operation_allows_anonymous_access_but_the_staff_findings(schema):
    reads = [(path, op) for path, method, op in operations(schema) if method == "get"]
    assert len(reads) >= 12
    assert [path for path, op in reads if {} not in op.get("security", [{}])] == ["/api/v1/findings/"]


def test_every_read_operation_documents_429_with_retry_after(schema):
    missing = [path for path, method, op in operations(schema)
               if method == "get" and op["responses"].get("429", {}).get("headers", {}).get("Retry-After") is None]
    assert missing == []


def test_every_operation_documents_503_for_an_outage(schema):
    assert [path for path, _, op in operations(schema) if "503" not in op["responses"]] == []


def test_writes_still_need_a_token(schema):
    writes = [op for _, method, op in operations(schema) if method == "post"]
    assert writes and all({} not in op["security"] for op in writes)


def parameter(schema, path, name):
    return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)["schema"]


def test_page_size_and_cursor_carry_the_limits_the_server_enforces(schema):
    assert {"minimum": 1, "maximum": 500}.items() <= parameter(schema, "/api/v1/agreements/", "page_size").items()
    assert parameter(schema, "/api/v1/events/", "page_size")["maximum"] == 1000
    assert parameter(schema, "/api/v1/agreements/", "cursor")["pattern"].startswith("^[np]")


def test_every_list_pages_with_cursor_and_page_size_and_the_feeds_with_after(schema):
    lists = ["/api/v1/agreements/", "/api/v1/parties/", "/api/v1/sources/", "/api/v1/findings/", "/api/v1/search/"]
    for path in lists:
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"cursor", "page_size"} <= names and not {"limit", "offset"} & names, path
    for path in ("/api/v1/events/", "/api/v1/agreements/{slug}/events/"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"after", "page_size"} <= names and "cursor" not in names


def test_the_csv_response_is_described_as_text_with_its_columns(schema):
    from agreements.api.renderers import CSVRenderer

    response = schema["paths"]["/api/v1/agreements/"]["get"]["responses"]["200"]
    csv = response["content"]["text/csv"]["schema"]
    assert csv["type"] == "string" and csv["example"].startswith(",".join(CSVRenderer.columns))
    assert all(column in response["description"] for column in CSVRenderer.columns)


def test_create_operations_link_to_the_reads_of_what_they_created(schema):
    draft = schema["paths"]["/api/v1/agreements/"]["post"]["responses"]["201"]["links"]
    assert draft["GetAgreement"]["operationId"] == "agreements_retrieve"
    assert draft["SendCommand"]["parameters"]["header.If-Match"] == '"{$response.body#/version}"'
    assert "GetParty" in schema["paths"]["/api/v1/parties/"]["post"]["responses"]["201"]["links"]
    assert "GetSource" in schema["paths"]["/api/v1/sources/"]["post"]["responses"]["201"]["links"]


def test_the_command_schema_holds_the_domains_length_limits():
    from agreements.api.commands_schema import LIMITS
    from agreements.domain.fields import FIELD_CHECKS

    for name, limit in LIMITS.items():
        FIELD_CHECKS[name]("x" * limit)
        with pytest.raises(ValueError):
            FIELD_CHECKS[name]("x" * (limit + 1))


def test_the_api_root_lists_the_endpoints_with_links_that_answer(anon):
    response = anon.get("/api/v1/")
    assert response.status_code == 200
    endpoints = response.json()["endpoints"]
    assert {"agreements", "events", "parties", "sources", "findings", "search", "schema"} <= set(endpoints)
    for name in ("agreements", "events", "parties", "sources", "obligations"):
        assert anon.get(endpoints[name]["url"]).status_code == 200, name
    assert anon.get(endpoints["findings"]["url"]).status_code == 401  # findings are for staff
    assert response.json()["templates"]["agreement"].endswith("/api/v1/agreements/{slug}/")


def test_redoc_loads_nothing_from_another_site(anon):
    page = anon.get("/api/redoc/").content.decode()
    assert "googleapis" not in page and "https://" not in page and "http://" not in page


def test_an_integer_where_the_schema_says_string_is_a_400_naming_it(archivist_client):
    response = archivist_client.post("/api/v1/sources/", {"title": "T", "publisher": "P", "kind": "news",
                                                          "perspective": 0}, format="json")
    assert response.status_code == 400 and "perspective" in response.json()["errors"]


def test_an_unknown_body_field_is_a_400_naming_it(archivist_client):
    response = archivist_client.post("/api/v1/parties/", {"code": "XYZ", "name": "X", "kind": "state",
                                                          "colour": "red"}, format="json")
    assert response.status_code == 400 and "colour" in response.json()["errors"]


def test_a_taken_party_code_is_a_conflict(archivist_client):
    response = archivist_client.post("/api/v1/parties/", {"code": "TUR", "name": "Again", "kind": "state"},
                                     format="json")
    assert response.status_code == 409 and "TUR" in response.json()["detail"]


def test_an_unknown_predecessor_is_a_conflict_naming_the_field(archivist_client):
    response = archivist_client.post("/api/v1/parties/", {"code": "NEW", "name": "New", "kind": "state",
                                                          "predecessor": "NOPE"}, format="json")
    assert response.status_code == 409 and response.json()["detail"].startswith("predecessor")


def test_the_detail_read_is_open_to_anonymous_callers(anon):
    assert anon.get(f"/api/v1/agreements/{STRATEGIC}/").status_code == 200


def test_a_citation_source_longer_than_the_schema_allows_is_refused():
    from agreements.domain.fields import FIELD_CHECKS

    assert FIELD_CHECKS["source"]("s" * 100) == "s" * 100
    with pytest.raises(ValueError):
        FIELD_CHECKS["source"]("s" * 101)
