"""Input serializers for the reference data an archivist may POST (parties and sources).

Parties and sources are reference data edited directly (history by simple-history), not event streams, so
their serializers save the model; agreements are written only through commands (see commands_schema.py).
"""

from __future__ import annotations

from django.utils.text import slugify
from rest_framework import exceptions, serializers

from agreements.domain import vocabulary
from agreements.domain.dates import InvalidDate, parse_date
from agreements.domain.lookalike import SPACES
from sources.models import Party
from sources.models import Source

from .commands_schema import NOT_BLANK, EdtfField

TEXT_FIELDS = (serializers.CharField, serializers.ChoiceField, serializers.RelatedField)
# http(s) with a host name (no IP literal), optional port, then anything without spaces (SPACES: the schema's
# ECMA-262 `\s` is not Python's): what Django's URL validator accepts, minus IP literals and other schemes.
URL_PATTERN = (r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*(?:\.[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*)*"
               rf"\.[A-Za-z]{{2,63}}(?::[0-9]{{1,5}})?(?:[/?#][^{SPACES}\x00]*)?\Z")


class Conflict(exceptions.APIException):
    """The input is well formed but clashes with what the registry holds (a taken key, an unknown party)."""

    status_code = 409
    default_code = "conflict"


class StrictTypes:
    """A body field declared as text must be text (`"perspective": 0` is a 400 naming it, never stored as "0"),
    and a field the serializer does not know is refused, as the commands refuse it."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            wrong = {name: ["Must be a string."] for name, field in self.fields.items()
                     if isinstance(field, TEXT_FIELDS) and data.get(name) is not None
                     and not isinstance(data[name], str)}
            wrong.update({str(name): ["Unknown field."] for name in data if name not in self.fields})
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


class PartyInputSerializer(StrictTypes, serializers.ModelSerializer):
    code = serializers.RegexField(vocabulary.PARTY_CODE_RE, max_length=vocabulary.MAX_PARTY_CODE,
                                  help_text="ISO 3166-1 alpha-3 for states that have one, else a registry code.")
    kind = serializers.ChoiceField(choices=vocabulary.PARTY_KINDS)
    name = serializers.RegexField(NOT_BLANK, max_length=300)
    iso3166 = serializers.RegexField(r"^[A-Z]{3}\Z", required=False, allow_blank=True)
    predecessor = serializers.RegexField(vocabulary.PARTY_CODE_RE, max_length=vocabulary.MAX_PARTY_CODE, required=False, allow_null=True,
                                         help_text="Code of the party it succeeded (409 if unknown).")
    parent = serializers.RegexField(vocabulary.PARTY_CODE_RE, max_length=vocabulary.MAX_PARTY_CODE, required=False, allow_null=True,
                                    help_text="Code of the party it belongs to (409 if unknown).")

    class Meta:
        model = Party
        fields = ["code", "name", "kind", "iso3166", "wikidata", "predecessor", "parent", "note"]

    def validate(self, attrs):
        """Once the input is well formed: what clashes with the registry is a conflict (409), as in the commands."""
        if Party.objects.filter(code=attrs["code"]).exists():
            raise Conflict(f"code: a party with code '{attrs['code']}' exists already.")
        for name in ("predecessor", "parent"):
            if attrs.get(name):
                try:
                    attrs[name] = Party.objects.get(code=attrs[name])
                except Party.DoesNotExist:
                    raise Conflict(f"{name}: no party with code '{attrs[name]}'.") from None
        return attrs


def _edtf(value):
    if value:
        try:
            return parse_date(value).text
        except InvalidDate as exc:
            raise serializers.ValidationError(str(exc)) from None
    return value


class SourceInputSerializer(StrictTypes, serializers.ModelSerializer):
    key = serializers.SlugField(max_length=100, required=False,
                                help_text="A stable key citations use; made from the title when omitted.")
    kind = serializers.ChoiceField(choices=[k for k, _ in Source._meta.get_field("kind").choices])
    title = serializers.RegexField(NOT_BLANK, max_length=1000)
    publisher = serializers.RegexField(NOT_BLANK, max_length=500)
    published = EdtfField(required=False, allow_blank=True, max_length=100, help_text="EDTF date")
    accessed = EdtfField(required=False, allow_blank=True, max_length=100,
                         help_text="EDTF date on which the source was read at its address")
    url = serializers.RegexField(URL_PATTERN, max_length=2000, required=False, allow_blank=True,
                                 help_text="An http(s) address.")
    language = serializers.RegexField(vocabulary.LANGUAGE_RE, max_length=12, required=False)

    class Meta:
        model = Source
        fields = ["key", "title", "publisher", "author", "published", "accessed", "url", "language", "kind",
                  "perspective"]

    def validate_published(self, value):
        return _edtf(value)

    def validate_accessed(self, value):
        return _edtf(value)

    def validate(self, attrs):
        key = attrs.get("key")
        if key and Source.objects.filter(key=key).exists():
            raise Conflict(f"key: a source with key '{key}' exists already.")
        if not key:
            base = slugify(attrs.get("title", ""))[:80] or "source"
            key, n = base, 1
            while Source.objects.filter(key=key).exists():
                n += 1
                key = f"{base}-{n}"
            attrs["key"] = key
        return attrs
