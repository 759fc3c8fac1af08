"""The schema states every grammar the server holds a value to, and the two agree: a date or time parameter the
schema's pattern admits is read, one it refuses is a 400; every operation declares the 400 that a NUL in any
query parameter gets; every command field read as EDTF says so."""

import re

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

DETAIL = "/api/v1/agreements/tr-az-strategic-partnership-2010/"
TIME_PARAMETERS = {"as_of", "known_at", "in_force_on", "signed_from", "signed_to"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


@pytest.fixture
def anon(settings):
    settings.PACTA_API_ANON_RATE = None
    return APIClient()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def parameter(schema, url, name):
    path = url.replace("tr-az-strategic-partnership-2010", "{slug}").replace("art_2", "{eid}")
    return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)


def admits(param, value) -> bool:
    """The schema's pattern as JSON Schema reads it ($ is the end of the text, as Python's \\Z)."""
    return re.search(param["schema"]["pattern"].replace("$", r"\Z"), value) is not None


def test_every_date_and_time_parameter_declares_its_grammar_as_a_pattern(schema):
    found = [(path, p) for path, method, op in operations(schema) for p in op.get("parameters", [])
             if p["name"] in TIME_PARAMETERS]
    assert len(found) >= 8
    assert [(path, p["name"]) for path, p in found if "pattern" not in p["schema"] or "format" in p["schema"]] == []


SAMPLES = ["2015", "2015-06", "2015-06-01", "2012-02-29", "2015?", "2015-06~", "2015-06-01%", "0001", "9999-12-31",
           "0", "0000", "2015-13", "2015-02-29", "2015-04-31", "1900-02-29", "2015-6-1", "20150601", "2015/2016",
           "1996-06/..", "2015??", " 2015", "2015-06-01T00:00Z", "Y20150"]
TIMES = ["2024-06-01", "2024-06-01T00:00Z", "2024-06-01T12:30:15.123456+02:00", "2024-06-01T12:30-05:00",
         "0001-01-01T00:00+01:00", "9999-12-31T23:59:59.999999Z", "2024-06-01T24:00", "2024-06-01T00", "20240601",
         "2024-06-01T00:00:00+0000", "2024-W01-1", "2024-06-01t00:00z", "2024-02-30", "0"]


@pytest.mark.parametrize("name,url", [("as_of", DETAIL), ("in_force_on", "/api/v1/agreements/"),
                                      ("signed_from", "/api/v1/agreements/"), ("signed_to", "/api/v1/agreements/")])
def test_a_date_parameter_is_read_exactly_when_its_pattern_admits_it(schema, anon, name, url):
    declared = parameter(schema, url, name)
    disagreements = [value for value in SAMPLES
                     if admits(declared, value) != (anon.get(url, {name: value}).status_code != 400)]
    assert disagreements == []


@pytest.mark.parametrize("url", [DETAIL, DETAIL + "clauses/art_2/", "/api/v1/obligations/"])
def test_a_record_time_is_read_exactly_when_its_pattern_admits_it(schema, anon, url):
    declared = parameter(schema, url, "known_at")
    disagreements = [value for value in TIMES
                     if admits(declared, value) != (anon.get(url, {"known_at": value}).status_code != 400)]
    assert disagreements == []


def test_the_obligations_as_of_is_a_day_and_says_so(schema, anon):
    declared = parameter(schema, "/api/v1/obligations/", "as_of")
    for value in ["2015-06-01", "2015", "2015-02-29", "20150601"]:
        assert admits(declared, value) == (anon.get("/api/v1/obligations/", {"as_of": value}).status_code != 400)


def test_every_operation_declares_the_400_a_nul_in_any_query_parameter_gets(schema, anon):
    assert [f"{method} {path}" for path, method, op in operations(schema) if "400" not in op["responses"]] == []
    response = anon.get("/api/v1/parties/", {"undeclared": "a\x00b"})
    assert response.status_code == 400 and "undeclared" in response.json()["errors"]


def test_every_command_field_read_as_edtf_says_so(schema):
    dates = {"date", "effective", "work_date", "until"}
    plain = []
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("CommandRequest"):
            continue
        properties = dict(component.get("properties", {}))
        corrections = properties.get("corrections", {}).get("properties", {})
        for field in dates:
            for where, props in ((name, properties), (f"{name}.corrections", corrections)):
                if field in props and props[field].get("format") != "edtf":
                    plain.append(f"{where}.{field}")
    assert plain == []
    assert schema["components"]["schemas"]["CorrectEventCommandRequest"]["properties"]["corrections"]["properties"]


def test_a_drafts_work_uri_declares_the_grammar_the_server_holds_it_to(schema, archivist):
    [body] = [c for name, c in schema["components"]["schemas"].items()
              if name.startswith("DraftAgreement") and "work_uri" in c.get("properties", {})][:1]
    work_uri = body["properties"]["work_uri"]
    declared = {"schema": work_uri["oneOf"][0] if "oneOf" in work_uri else work_uri}  # or blank: not given
    client = APIClient()
    client.force_authenticate(archivist)
    for n, uri in enumerate(["0z", "/akn/int/treaty/2010/uri-grammar", "/akn/int/treaty/2010/x\n", "/akn/" + "a" * 400]):
        response = client.post("/api/v1/agreements/", {"slug": f"uri-grammar-{n}", "title": "T", "kind": "treaty",
                                                       "work_uri": uri}, format="json")
        assert admits(declared, uri) == (response.status_code == 201), (uri, response.content)
        assert len(uri) <= declared["schema"]["maxLength"] or response.status_code == 400


@pytest.mark.parametrize("url,name", [("/api/v1/parties/", "q"), ("/api/v1/sources/", "q"),
                                      ("/api/v1/findings/", "subject"), ("/api/v1/findings/", "code")])
def test_a_filter_of_only_a_space_character_the_schema_admits_is_read_not_refused(url, name, archivist):
    client = APIClient()
    client.force_authenticate(archivist)
    assert client.get(url, {name: "\x85"}).status_code == 200


@pytest.mark.parametrize("key", ["8e03978e-1b2c-4d5e-8f90-123456789abc", "a", "a b", "x" * 200, "x" * 201, "é", " a",
                                 "a\t", '"', '"a"', '"a', 'a"', '"' + "x" * 200 + '"', "a\u00a0b", ""])
def test_the_schema_admits_exactly_the_idempotency_keys_the_server_accepts(key):
    import re

    from agreements.api.idempotent import KEY_RE
    from agreements.api.schema import HEADER_PATTERNS

    admitted = re.search(HEADER_PATTERNS["Idempotency-Key"]["pattern"], key) is not None and "\n" not in key
    assert admitted == (KEY_RE.match(key) is not None)
