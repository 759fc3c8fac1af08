"""The published OpenAPI document, finished in one place (a drf-spectacular postprocessing hook).

What the views' annotations cannot say once for all operations is added here, so that the schema states
every rule the server enforces:
- reads are open to anonymous callers: `{}` is one of their security alternatives (but STAFF_READS);
- every operation documents 400 (a NUL in any query parameter, declared or not, is refused everywhere), 429
  (the anonymous throttle) and 503 (database or broker outage), the last two with `Retry-After`;
- date and time parameters carry the exact grammar the server holds them to, as a pattern (TIME_GRAMMARS);
- text the server refuses is excluded by the schema: no NUL character in any string parameter or body
  field, and no empty query parameter (leave it out instead);
- headers carry their patterns (If-Match, Idempotency-Key);
- OpenAPI links lead from each create operation to the reads and commands of what it created.
"""

from __future__ import annotations

import re

from agreements.domain import vocabulary

from .idempotent import BARE_KEY

NO_NUL = r"^[^\x00]*$"
BLANK = {"type": "string", "maxLength": 0}
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
RETRY_AFTER = {"Retry-After": {"required": True, "description": "Seconds to wait before trying again.",
                               "schema": {"type": "integer", "minimum": 0}}}
RESPONSES = {
    # Any operation: a NUL character in any query parameter (declared or not), the path or a header, or an
    # empty query parameter, is refused before the view runs (registry/input_guard.py, ApiMixin.initial).
    "400": {"description": "Bad input: a NUL character in a query parameter (any, declared or not), the path or "
                           "a header, an empty query parameter, or a value outside its declared grammar; the "
                           "`errors` name it.", "content": ERROR},
    "429": {"description": "Too many requests: anonymous callers are throttled (PACTA_API_ANON_RATE).",
            "headers": RETRY_AFTER, "content": ERROR},
    "503": {"description": "The database or the broker is unavailable; retry later.",
            "headers": RETRY_AFTER, "content": ERROR},
}
# Query parameters the server checks against a grammar of the domain vocabulary.
QUERY_PATTERNS = {
    "lang": {"pattern": vocabulary.ecma(vocabulary.LANGUAGE_RE.pattern), "maxLength": vocabulary.MAX_LANGUAGE},
    "party": {"maxLength": vocabulary.MAX_PARTY_CODE},
}
HEADER_PATTERNS = {
    # The server's own grammar (agreements/api/idempotent.py KEY_RE): 1 to 200 printable ASCII characters, neither
    # starting nor ending with a space or a double quote, bare or in double quotes.
    "Idempotency-Key": {"pattern": f'^(?:"{BARE_KEY}"|{BARE_KEY})$'},
}
# Date and time parameters, each with the exact grammar the server holds it to (vocabulary; queries.time):
# the schema declares the pattern (JSON Schema has no format for EDTF or for the record time's forms), so a
# value the schema admits is a value the server reads, and the other way round.
EDTF_PARAMETERS = {"as_of", "in_force_on", "signed_from", "signed_to"}
_DATE_HELP = ("A year, a year-month or a day (2015, 2015-06, 2015-06-01), optionally followed by ? (uncertain), "
              "~ (approximate) or % (both), as EDTF writes them.")
TIME_GRAMMARS = {
    **{name: (vocabulary.DATE_PARAMETER_RE, _DATE_HELP) for name in EDTF_PARAMETERS},
    "known_at": (vocabulary.RECORD_TIME_RE, "A day, optionally with a time (to the minute, second or microsecond) and an "
                                   "offset: 2024-06-01, 2024-06-01T12:00Z, 2024-06-01T12:00:00.5+02:00."),
}
# Where a parameter of the same name means something narrower.
OPERATION_TIME_GRAMMARS = {("obligations_list", "as_of"): (vocabulary.DAY_RE, "A day: 2015-06-01.")}
_SLUG = "$response.body#/slug"
IF_MATCH_VERSION = '"{$response.body#/version}"'  # the version as an entity tag: If-Match: "7"
_COMMAND_LINKS = {
    "GetAgreement": {"operationId": "agreements_retrieve", "parameters": {"path.slug": _SLUG},
                     "description": "The agreement as it stands after the change."},
    "ListAgreementEvents": {"operationId": "agreements_events_list", "parameters": {"path.slug": _SLUG}},
    "ListParticipants": {"operationId": "agreements_participants_list", "parameters": {"path.slug": _SLUG},
                         "description": "Its participants, a page at a time."},
    "SendCommand": {"operationId": "agreements_commands_create",
                    "parameters": {"path.slug": _SLUG, "header.If-Match": IF_MATCH_VERSION},
                    "description": "A further command, based on the version this one produced."},
}
LINKS = {
    "agreements_draft": {"201": _COMMAND_LINKS},
    "agreements_commands_create": {"201": _COMMAND_LINKS},
    "agreements_retrieve": {"200": {
        "SendCommand": {"operationId": "agreements_commands_create",
                        "parameters": {"path.slug": _SLUG, "header.If-Match": IF_MATCH_VERSION}},
    }},
    "parties_create": {"201": {"GetParty": {"operationId": "parties_retrieve",
                                            "parameters": {"path.code": "$response.body#/code"}}}},
    "sources_create": {"201": {"GetSource": {"operationId": "sources_retrieve",
                                             "parameters": {"path.key": "$response.body#/key"}}}},
}


# Reads that need a staff token (findings are for staff: the public sees no finding).
STAFF_READS = {"findings_list"}


def postprocess(result, generator, request, public):
    from .commands_schema import finish_components
    from .views.writes import IF_MATCH

    header_patterns = {**HEADER_PATTERNS, "If-Match": {"pattern": IF_MATCH.pattern}}
    body_components = _request_components(result)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method == "get" and operation.get("operationId") not in STAFF_READS:
                _allow_anonymous(operation)
            for code, response in RESPONSES.items():
                operation.setdefault("responses", {}).setdefault(code, response)
            for parameter in operation.get("parameters", []):
                _constrain_parameter(parameter, header_patterns, operation.get("operationId"))
            if "requestBody" in operation:
                operation["requestBody"]["required"] = True  # an empty body is a 400 everywhere
            _plain_text_bodies(operation)
            for code, links in LINKS.get(operation.get("operationId"), {}).items():
                if code in operation["responses"]:
                    operation["responses"][code]["links"] = links
    for name in body_components:
        _no_nul_in_strings(result["components"]["schemas"][name])
    finish_components(result["components"]["schemas"])
    for name in ("PartyInputRequest", "SourceInputRequest", "CosignatureInputRequest"):  # StrictTypes refuses unknown fields
        result["components"]["schemas"][name]["additionalProperties"] = False
    return result


def _plain_text_bodies(operation):
    """CSV and Akoma Ntoso bodies are text: spectacular would wrap the CSV in the JSON list's page."""
    from .views.agreements import TEXT_BODIES

    for code, response in operation.get("responses", {}).items():
        for media, body in TEXT_BODIES.get((operation.get("operationId"), code), {}).items():
            if media in response.get("content", {}):
                response["content"][media]["schema"] = body["schema"]
                response["description"] = " ".join(filter(None, [response.get("description"), body["description"]]))


def _allow_anonymous(operation):
    security = operation.setdefault("security", [])
    if {} not in security:
        security.append({})


def _constrain_parameter(parameter, header_patterns, operation_id=None):
    schema = parameter.setdefault("schema", {})
    grammar = OPERATION_TIME_GRAMMARS.get((operation_id, parameter["name"])) or TIME_GRAMMARS.get(parameter["name"])
    if parameter["in"] == "query" and grammar is not None:
        regex, help_text = grammar
        for key in ("format", "oneOf", "anyOf"):
            schema.pop(key, None)
        schema.update(type="string", pattern=vocabulary.ecma(regex.pattern), maxLength=64)
        description = parameter.get("description", "")
        if help_text not in description:
            parameter["description"] = f"{description} {help_text}".strip()
    if parameter["in"] == "header" and parameter["name"] in header_patterns:
        schema.update(header_patterns[parameter["name"]])
    if parameter["in"] == "query" and parameter["name"] in QUERY_PATTERNS:
        schema.update(QUERY_PATTERNS[parameter["name"]])
    if schema.get("type") != "string" or "enum" in schema:
        return
    if "pattern" not in schema and "format" not in schema:
        schema["pattern"] = NO_NUL
    if parameter["in"] == "query":
        schema["minLength"] = max(1, schema.get("minLength", 0))


def _request_components(result) -> set[str]:
    """Names of the components a request body uses, followed through references."""
    seen: set[str] = set()
    todo = []
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                todo.append(media.get("schema", {}))
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    todo.append(result["components"]["schemas"][name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return seen


def is_string(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def _no_nul_in_strings(schema):
    if not isinstance(schema, dict):
        return
    if is_string(schema) and not {"pattern", "format", "enum"} & schema.keys():
        schema["pattern"] = NO_NUL
    alternatives = schema.get("oneOf")
    if isinstance(alternatives, list) and len(alternatives) == 2 and alternatives[1] == BLANK \
            and re.search(alternatives[0].get("pattern", ""), ""):
        # spectacular's "or blank" where the field's own pattern admits "" already (or there is only a format,
        # the registry's own): "" would match both alternatives, which `oneOf` forbids.
        schema.update(alternatives[0])
        del schema["oneOf"]
    for key in ("properties", "additionalProperties", "items"):
        value = schema.get(key)
        if key == "properties" and isinstance(value, dict):
            for sub in value.values():
                _no_nul_in_strings(sub)
        elif isinstance(value, dict):
            _no_nul_in_strings(value)
