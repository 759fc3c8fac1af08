"""How an Akoma Ntoso file's work is named in the registry: its kind, its slug and its work URI.

A work is its URI: the registry's own `/akn/int/treaty/YEAR/SLUG` gives back SLUG, another Akoma Ntoso URI is
kept as it is, and an ELI or legislation.gov.uk URI gets a registry URI in the same style, its year taken from
the URI itself, never from the file's dates (docs/importing.md).
"""

from __future__ import annotations

import hashlib
import re

from agreements.domain.vocabulary import KINDS, MAX_WORK_URI, SLUG_RE, WORK_URI_RE

KIND_OF_TYPE = {"act": "act", "bill": "bill", "statement": "statement"}
# A slug made from a work URI stays short enough to read in addresses, and leaves room under the domain's
# MAX_SLUG for the suffix `loading.unique_slug` adds when another work holds it.
DERIVED_SLUG_LENGTH = 120
HASH_SLUG_DIGITS = 10  # a URI with no word to make a slug of is named by this much of its hash
YEAR_DIGITS = 4  # the year that leads an EDTF date ("2018-05-23")


def kind_for(doc_type: str, name: str, frbr_name: str | None) -> str:
    for candidate in (name, frbr_name):
        if candidate and candidate.lower() in KINDS:
            return candidate.lower()
    return KIND_OF_TYPE.get(doc_type, "document")


def slug_for(uri: str) -> str:
    """A stable slug from a work URI: the registry's own treaty URIs give back their slug; others join
    their components (`/akn/za/act/2009/10` -> `za-act-2009-10`, ELI and legislation.gov.uk URIs likewise)."""
    path = re.sub(r"^[a-z]+://[^/]+", "", uri.strip()).strip("/")
    parts = [p for p in path.split("/") if p and not p.startswith("!")]
    if parts[:3] == ["akn", "int", "treaty"] and len(parts) == 5 and SLUG_RE.match(parts[4]):
        return parts[4]
    parts = [p for p in parts if p not in ("akn", "id", "eli")]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")
    if not slug:
        slug = "work-" + hashlib.sha1(uri.encode()).hexdigest()[:HASH_SLUG_DIGITS]
    return slug[:DERIVED_SLUG_LENGTH].rstrip("-")


def _own_uri(uri: str) -> bool:
    """The file's URI is an Akoma Ntoso work URI the registry can keep as it is."""
    return bool(WORK_URI_RE.match(uri)) and len(uri) <= MAX_WORK_URI


def registry_work_uri(uri: str, country: str, doc_type: str, slug: str) -> str:
    """The file's own work URI when it is an Akoma Ntoso one; otherwise one built in the same style."""
    if _own_uri(uri):
        return uri.rstrip("/")
    if not re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]+)?", country):
        country = "int"
    # The year comes from the URI itself: a consolidated text gives its own date as the work's, and a work is
    # its URI, whatever the date of the file that names it.
    year = _uri_year(uri) or "undated"
    return f"/akn/{country}/{doc_type}/{year}/{slug}"


def _uri_year(uri: str) -> str | None:
    path = re.sub(r"^[a-z]+://[^/]+", "", uri.strip())
    return next((p for p in path.split("/") if re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", p)), None)


def former_work_uri(uri: str, country: str, doc_type: str, work_date: str | None, slug: str) -> str | None:
    """The registry URI an earlier importer built from the file's work date (before a work was its URI):
    works imported then are still found under it."""
    if _own_uri(uri):
        return None
    if not re.match(r"^[a-z]{2,3}(?:-[a-z0-9]+)?$", country):
        country = "int"
    year = work_date[:YEAR_DIGITS] if work_date and work_date[:YEAR_DIGITS].isdigit() else "undated"
    former = f"/akn/{country}/{doc_type}/{year}/{slug}"
    return former if former != registry_work_uri(uri, country, doc_type, slug) else None
