"""The command vocabulary as OpenAPI: one schema per command type, built from the domain's dataclasses.

These serializers only document the request bodies (so clients and fuzzers know the shapes); the body is
validated by `agreements.domain.commands.parse_command`, the same validator the admin and the seeds use.
"""

from __future__ import annotations

import dataclasses

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from agreements.domain import commands as c
from agreements.domain import obligations as ob
from agreements.domain import vocabulary as v

CHOICES = {
    "kind": v.KINDS,
    "action": v.LIFECYCLE_ACTIONS,
    "text_kind": v.TEXT_KINDS,
    "relation": v.RELATIONS,
    "obligation": ob.OBLIGATION_CODES,
    "modality": ob.MODALITY_CODES,
}
LIST_CHOICES = {"conditions": ob.CONDITION_CODES}
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
    "source": "source id or key",
    "supports": "what the citation backs: an eId, a field name, party:CODE, event:ID",
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
}
SKIP = {"command_id"}  # sent as the Idempotency-Key header


def _field(name, f: dataclasses.Field):
    required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    kwargs = {"required": required, "help_text": HINTS.get(name, "")}
    if not required:
        kwargs["allow_null"] = True
    if name in CHOICES:
        return serializers.ChoiceField(choices=CHOICES[name], **kwargs)
    if name in LIST_CHOICES:
        return serializers.ListField(child=serializers.ChoiceField(choices=LIST_CHOICES[name]), **kwargs)
    if name in ("parties", "towards"):
        return serializers.ListField(child=serializers.RegexField(v.PARTY_CODE_RE), **kwargs)
    if name in ("titles", "corrections"):
        return serializers.DictField(**kwargs)
    if name in c.FIELD_CHECKS and c.FIELD_CHECKS[name] is c.FIELD_CHECKS["slug"]:
        return serializers.RegexField(v.SLUG_RE, max_length=200, **kwargs)
    if name in ("eid", "new_eid", "parent", "target_eid"):
        return serializers.RegexField(v.EID_RE, max_length=200, **kwargs)
    if name == "party":
        return serializers.RegexField(v.PARTY_CODE_RE, **kwargs)
    return serializers.CharField(allow_blank=not required, **kwargs)


def command_serializer(type_name: str, with_type: bool = True) -> type[serializers.Serializer]:
    cls = c.COMMAND_TYPES[type_name]
    attrs = {
        name: _field(name, f)
        for name, f in ((f.name, f) for f in dataclasses.fields(cls))
        if name not in SKIP
    }
    if with_type:
        attrs["type"] = serializers.ChoiceField(choices=[type_name])
    attrs["__doc__"] = f"The {type_name} command."
    return type(f"{type_name}Command", (serializers.Serializer,), attrs)


COMMAND_SERIALIZERS = {name: command_serializer(name) for name in c.COMMAND_TYPES if name != "DraftAgreement"}

AnyCommand = PolymorphicProxySerializer(
    component_name="Command",
    serializers=COMMAND_SERIALIZERS,
    resource_type_field_name="type",
)

DraftAgreementBody = command_serializer("DraftAgreement", with_type=False)
