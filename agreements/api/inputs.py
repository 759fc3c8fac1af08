"""Input serializers for the reference data an archivist may POST (parties and sources).

Parties and sources are reference data edited directly (history by simple-history), not event streams, so
their serializers save the model; agreements are written only through commands (see commands_schema.py).
"""

from __future__ import annotations

from django.utils.text import slugify
from rest_framework import serializers

from agreements.domain import vocabulary as v
from agreements.domain.dates import InvalidDate, parse_date
from agreements.parties.models import Party
from sources.models import Source


class PartyInputSerializer(serializers.ModelSerializer):
    code = serializers.RegexField(v.PARTY_CODE_RE, max_length=32,
                                  help_text="ISO 3166-1 alpha-3 for states that have one, else a registry code.")
    kind = serializers.ChoiceField(choices=v.PARTY_KINDS)
    iso3166 = serializers.RegexField(r"^[A-Z]{3}$", required=False, allow_blank=True)
    predecessor = serializers.SlugRelatedField(slug_field="code", queryset=Party.objects.all(), required=False,
                                               allow_null=True)
    parent = serializers.SlugRelatedField(slug_field="code", queryset=Party.objects.all(), required=False,
                                          allow_null=True)

    class Meta:
        model = Party
        fields = ["code", "name", "kind", "iso3166", "wikidata", "predecessor", "parent", "note"]

    def validate_code(self, code):
        if Party.objects.filter(code=code).exists():
            raise serializers.ValidationError(f"A party with code '{code}' exists already.")
        return code


def _edtf(value):
    if value:
        try:
            return parse_date(value).text
        except InvalidDate as exc:
            raise serializers.ValidationError(str(exc)) from None
    return value


class SourceInputSerializer(serializers.ModelSerializer):
    key = serializers.SlugField(max_length=100, required=False,
                                help_text="A stable key citations use; made from the title when omitted.")
    kind = serializers.ChoiceField(choices=[k for k, _ in Source._meta.get_field("kind").choices])
    published = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="EDTF date")
    language = serializers.RegexField(v.LANGUAGE_RE, max_length=12, required=False)

    class Meta:
        model = Source
        fields = ["key", "title", "publisher", "author", "published", "url", "language", "kind", "perspective"]

    def validate_key(self, key):
        if key and Source.objects.filter(key=key).exists():
            raise serializers.ValidationError(f"A source with key '{key}' exists already.")
        return key

    def validate_published(self, value):
        return _edtf(value)

    def validate(self, attrs):
        if not attrs.get("key"):
            base = slugify(attrs.get("title", ""))[:80] or "source"
            key, n = base, 1
            while Source.objects.filter(key=key).exists():
                n += 1
                key = f"{base}-{n}"
            attrs["key"] = key
        return attrs
