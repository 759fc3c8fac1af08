"""The command vocabulary as OpenAPI: one schema per command type, built from the domain's dataclasses.

These serializers only document the request bodies (so clients and fuzzers know the shapes); the body is
validated by `agreements.domain.commands.parse_command`, the same validator the admin and the seeds use.
"""

from __future__ import annotations

import dataclasses

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from agreements.domain import commands
from agreements.domain import entry_into_force
from agreements.domain import fields
from agreements.domain import obligations
from agreements.domain import statements
from agreements.domain import vocabulary
from agreements.domain.lookalike import INVISIBLE, SPACES

CHOICES = {
    "kind": vocabulary.KINDS,
    "action": vocabulary.LIFECYCLE_ACTIONS,
    "text_kind": vocabulary.TEXT_KINDS,
    "relation": vocabulary.RELATIONS,
    "obligation": obligations.OBLIGATION_CODES,
    "modality": obligations.MODALITY_CODES,
    "made_at": statements.MADE_AT,
    "on": entry_into_force.ON_CHOICES,
}
# Where one command's field of a shared name takes another vocabulary.
COMMAND_CHOICES = {("MakeStatement", "kind"): statements.STATEMENT_KINDS}
LIST_CHOICES = {"conditions": obligations.CONDITION_CODES, "counts": entry_into_force.DEFAULT_COUNTS + ("succession",)}
INTEGERS = {"instruments": (1, entry_into_force.MAX_INSTRUMENTS), "days_after": (0, entry_into_force.MAX_DAYS),
            "later_days_after": (0, entry_into_force.MAX_DAYS), "years": (1, entry_into_force.MAX_YEARS),
            "renewal_years": (1, entry_into_force.MAX_YEARS), "notice_months": (0, 120)}
HINTS = {
    "slug": "lowercase letters, digits and hyphens",
    "eid": "Akoma Ntoso eId: preamble, art_2, art_2__para_1",
    "new_eid": "Akoma Ntoso eId",
    "parent": "eId of the parent clause",
    "target_eid": "eId in the target agreement",
    "party": "party code (TUR, AZE...)",
    "date": "EDTF date (1992, 1996-06, 2000?, 2010-08-16)",
    "effective": "EDTF date",
    "work_date": "EDTF date",
    "by": "slug of the amending agreement",
    "target": "slug of the target agreement",
    "source": "the source's key (e.g. usc-dornsife-2023); a database id is refused",
    "supports": "what the citation backs: an eId, a field name, party:CODE, registration, depositary, event:ID",
    "citation_id": "UUID",
    "event_id": "UUID of the event to correct",
    "corrections": "the corrected fields, e.g. {\"date\": \"2010-08-16\"}",
    "obligation": "ATOP obligation type (codebook: /data/obligations/codebook/)",
    "modality": "obliges (\"shall\") or permits (\"may\")",
    "conditions": "conditions under which the obligation holds; none: unconditional",
    "parties": "party codes bound by the obligation; none: every party",
    "towards": "party codes the obligation is owed to, when not all",
    "adversary": "the adversary the text names (with the condition specific_adversary)",
    "until": "EDTF date the obligation ends",
    "obligation_id": "UUID of a coded obligation",
    "uncited_reason": "why to publish although some facts cite no source (required then)",
    "registration_number": "the number the registering body gave (UNTS: I-54669), one line",
    "registering_body": "UN Secretariat (Article 102 of the Charter), League of Nations...",
    "depositary": "a party code (USA) or the depositary's name (Secretary-General of the United Nations), one line",
    "predecessor": "succession: the party code of the predecessor whose consent is succeeded to",
    "territory": "territorial application or exclusion: the territory's name, one line",
    "notification": "the depositary notification's reference (C.N.123.2003.TREATIES-4), one line",
    "eids": "the articles the statement concerns (eIds); none: the whole agreement",
    "made_at": "made at signature, with the consent (consent) or later",
    "objects_to": "an objection: the statement_id of the statement it answers (of this agreement, not withdrawn)",
    "opposes_entry_into_force": "an objection opposing entry into force between the two (VCLT art. 20(4)(b))",
    "statement_id": "UUID of a statement (MakeStatement: give it with another language to add a translation)",
    "instruments": "the number of instruments after which it enters into force (VCLT art. 84: 35)",
    "days_after": "days after the last needed instrument (or notification) it enters into force",
    "later_days_after": "for a later participant: days after its own instrument",
    "counts": "the actions counted as instruments (default: every consent but succession)",
    "on": "signature (binding on signature) or last_notification",
    "years": "the term in years from entry into force",
    "renewal_years": "renewed automatically for this many years at a time",
    "notice_months": "unless denounced at least this many months before a period ends",
}
SKIP = {"command_id"}  # sent as the Idempotency-Key header


# The length limits of the domain's field checks (agreements.domain.fields.FIELD_CHECKS); a test holds the two
# together. Required texts must contain a visible character (the domain strips them).
LIMITS = {
    "title": fields.MAX_LINE, "summary": fields.MAX_TEXT, "place": fields.MAX_LINE, "role": fields.MAX_ROLE,
    "text": fields.MAX_TEXT, "number": vocabulary.MAX_NUMBER, "heading": fields.MAX_LINE, "note": fields.MAX_TEXT,
    "locator": fields.MAX_LOCATOR, "quote": fields.MAX_QUOTE, "supports": fields.MAX_SUPPORTS, "reason": fields.MAX_TEXT, "registration_number": vocabulary.MAX_REGISTRATION_NUMBER,
    "registering_body": vocabulary.MAX_REGISTERING_BODY, "depositary": vocabulary.MAX_DEPOSITARY,
    "territory": vocabulary.MAX_TERRITORY, "notification": vocabulary.MAX_NOTIFICATION,
}
DATES = {"date", "effective", "work_date", "until"}
UUIDS = {"citation_id", "event_id", "obligation_id", "objects_to", "statement_id"}
# "Not blank": a character that draws something (the domain's lookalike.visible, the same class).
NOT_BLANK = rf"^[^\x00]*[^{SPACES}\x00{INVISIBLE}][^\x00]*\Z"
STRIPPED = {"title", "text", "reason"}  # the domain strips these and refuses them blank even where optional
ONE_LINE = {"registration_number", "registering_body", "depositary", "territory", "notification"}  # no line breaks
ONE_LINE_PATTERN = r"^[^\x00\r\n]*\Z"
ONE_LINE_NOT_BLANK = rf"^[^\x00\r\n]*[^{SPACES}\x00{INVISIBLE}][^\x00\r\n]*\Z"


@extend_schema_field({"type": "string", "format": "edtf", "maxLength": 100,
                      "description": "EDTF date (1992, 1996-06, 2000?, 2010-08-16, 1996-06/..)"})
class EdtfField(serializers.CharField):
    pass


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "maxLength": fields.MAX_LINE,
                                                                 "pattern": vocabulary.ecma(NOT_BLANK)},
                      "propertyNames": {"pattern": vocabulary.ecma(vocabulary.LANGUAGE_RE.pattern)},
                      "description": "Titles in other languages: language code (en, tr, az...) -> title."})
class TitlesField(serializers.DictField):
    pass


_NO_NUL = {"type": "string", "pattern": r"^[^\x00]*$"}


_EDTF_OR_NULL = {"type": ["string", "null"], "format": "edtf", "maxLength": 100,
                 "description": "EDTF date (1992, 1996-06, 2000?, 2010-08-16, 1996-06/..)"}


@extend_schema_field({"type": "object", "propertyNames": {"pattern": r"^[^\x00]*$"},
                      # Corrected dates are read as EDTF, as the commands' own dates are.
                      "properties": {name: _EDTF_OR_NULL for name in sorted(DATES)},
                      "additionalProperties": {"anyOf": [
                          {"type": ["number", "boolean", "null"]}, _NO_NUL,
                          {"type": "object", "propertyNames": {"pattern": r"^[^\x00]*$"}, "additionalProperties": _NO_NUL},
                          {"type": "array", "items": _NO_NUL}]},
                      "description": "The corrected fields of the event, by name (no NUL characters anywhere)."})
class CorrectionsField(serializers.DictField):
    pass


@extend_schema_field({"anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "maxLength": 0}],
                      "description": "UUID (empty or null: not given)"})
class OptionalUuidField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "pattern": r"^(?![0-9]+$)[-a-zA-Z0-9_]+$", "maxLength": 100,
                      "description": "the source's key; a value of digits only (a database id) is refused"})
class SourceField(serializers.CharField):
    pass


def _field(name, f: dataclasses.Field, type_name: str = ""):
    required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    kwargs = {"required": required, "help_text": HINTS.get(name, "")}
    if not required:
        kwargs["allow_null"] = True
    if (type_name, name) in COMMAND_CHOICES:
        return serializers.ChoiceField(choices=COMMAND_CHOICES[(type_name, name)], **kwargs)
    if name in INTEGERS:
        low, high = INTEGERS[name]
        return serializers.IntegerField(min_value=low, max_value=high, **kwargs)
    if name == "opposes_entry_into_force":
        return serializers.BooleanField(**kwargs)
    if name == "eids":
        return serializers.ListField(child=serializers.RegexField(vocabulary.EID_RE, max_length=vocabulary.MAX_EID), max_length=500,
                                     **kwargs)
    if name == "predecessor":
        return serializers.RegexField(vocabulary.PARTY_CODE_RE, max_length=vocabulary.MAX_PARTY_CODE, allow_blank=True, **kwargs)
    if name in CHOICES:
        return serializers.ChoiceField(choices=CHOICES[name], **kwargs)
    if name in LIST_CHOICES:
        return serializers.ListField(child=serializers.ChoiceField(choices=LIST_CHOICES[name]), **kwargs)
    if name in ("parties", "towards"):
        return serializers.ListField(
            child=serializers.RegexField(vocabulary.PARTY_CODE_RE, max_length=vocabulary.MAX_PARTY_CODE), **kwargs)
    if name == "titles":
        return TitlesField(**kwargs)
    if name == "corrections":
        return CorrectionsField(**kwargs)
    if name in DATES:
        return EdtfField(allow_blank=not required, **kwargs)
    if name == "source":
        return SourceField(**kwargs)
    if name in UUIDS:
        return serializers.UUIDField(**kwargs) if required else OptionalUuidField(allow_blank=True, **kwargs)
    blank = {} if required else {"allow_blank": True}  # an optional "" means "not given"
    if name in fields.FIELD_CHECKS and fields.FIELD_CHECKS[name] is fields.FIELD_CHECKS["slug"]:
        return serializers.RegexField(vocabulary.SLUG_RE, max_length=vocabulary.MAX_SLUG, **blank, **kwargs)
    if name in ("eid", "new_eid", "parent", "target_eid"):
        return serializers.RegexField(vocabulary.EID_RE, max_length=vocabulary.MAX_EID, **blank, **kwargs)
    if name == "party":
        return serializers.RegexField(vocabulary.PARTY_CODE_RE, max_length=vocabulary.MAX_PARTY_CODE, **blank, **kwargs)
    if name == "language":
        return serializers.RegexField(vocabulary.LANGUAGE_RE, max_length=vocabulary.MAX_LANGUAGE, **blank, **kwargs)
    if name == "work_uri":
        return serializers.RegexField(vocabulary.WORK_URI_RE, max_length=vocabulary.MAX_WORK_URI, **blank, **kwargs)
    if name in ONE_LINE:
        return serializers.RegexField(ONE_LINE_NOT_BLANK if required else ONE_LINE_PATTERN, max_length=LIMITS[name],
                                      **blank, **kwargs)
    if required and name in LIMITS:
        return serializers.RegexField(NOT_BLANK, max_length=LIMITS[name], **kwargs)
    if name in STRIPPED:  # optional: empty means "not given", otherwise a visible character
        return serializers.RegexField(r"^\Z|" + NOT_BLANK, max_length=LIMITS[name], **kwargs)
    return serializers.CharField(allow_blank=not required, max_length=LIMITS.get(name), **kwargs)


def command_serializer(type_name: str, with_type: bool = True) -> type[serializers.Serializer]:
    cls = commands.COMMAND_TYPES[type_name]
    attrs = {
        name: _field(name, f, type_name)
        for name, f in ((f.name, f) for f in dataclasses.fields(cls))
        if name not in SKIP
    }
    if with_type:
        attrs["type"] = serializers.ChoiceField(choices=[type_name])
    attrs["__doc__"] = f"The {type_name} command."
    return type(f"{type_name}Command", (serializers.Serializer,), attrs)


COMMAND_SERIALIZERS = {name: command_serializer(name) for name in commands.COMMAND_TYPES if name != "DraftAgreement"}

AnyCommand = PolymorphicProxySerializer(
    component_name="Command",
    serializers=COMMAND_SERIALIZERS,
    resource_type_field_name="type",
)

DraftAgreementBody = command_serializer("DraftAgreement", with_type=False)


def finish_components(schemas: dict) -> None:
    """What the serializers cannot say: a command takes no other field (the domain refuses unknown ones), and
    EditDetails needs at least one field to change (null or "" means "not given")."""
    for type_name in commands.COMMAND_TYPES:
        schema = schemas.get(f"{type_name}CommandRequest")
        if schema is None:
            continue
        schema["additionalProperties"] = False
        if type_name == "EditDetails":
            schema["anyOf"] = [
                {"required": [name], "properties": {name: _given(prop)}}
                for name, prop in schema["properties"].items() if name != "type"
            ]


def _given(prop: dict) -> dict:
    """The property's schema without null and without the empty string."""
    given = {k: val for k, val in prop.items() if k not in ("nullable", "description")}
    if "oneOf" in given:  # an enum or null
        given = {"allOf": [given["oneOf"][0]]}
    kind = given.get("type")
    if isinstance(kind, list):
        given["type"] = [t for t in kind if t != "null"][0]
    if given.get("type") == "string":
        given["minLength"] = 1
    return given
