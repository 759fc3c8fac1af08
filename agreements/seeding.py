"""Turn seed files (docs/seed-format.md) into reference data and commands, and run them through services.

Each command gets a deterministic id from its agreement and its content, so loading twice appends
nothing the second time, and an edited seed file adds only the commands that changed.
Agreements are loaded in two passes: their own facts first, then relations and cross-references, so
a reference may point at an agreement that comes later in the alphabet.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from agreements.domain.commands import DraftAgreement, NameDepositary, parse_command
from agreements.domain.errors import DomainError, InvalidCommand, RuleViolated
from agreements.domain.vocabulary import (
    DEPOSITARY_SUBJECT,
    REGISTRATION_SUBJECT,
    lifecycle_subject,
    reference_subject,
    relation_subject,
)

from . import seed_corrections, services
from sources.models import Party, PartyName

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"
SEED_NAMESPACE = uuid.UUID("b0b6f5b6-8a8e-4e5c-9a0e-7d3f1c2a9e11")


MAX_MESSAGE = 500  # an error quotes at most this much of what it found: a huge value never floods the terminal


def _bounded(text, limit=MAX_MESSAGE) -> str:
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters in all)"


class SeedError(Exception):
    """A problem in a seed file, named by file, agreement and field (each part bounded in length)."""

    def __init__(self, file, slug, field_name, message):
        slug = _bounded(slug, 200) if slug is not None else None
        field_name, message = _bounded(field_name, 200), _bounded(message)
        self.file, self.slug, self.field, self.message = str(file), slug, field_name, message
        super().__init__(f"{file}: {slug or '-'}: {field_name}: {message}")


@dataclass
class PlannedCommand:
    type: str
    data: dict
    where: str  # the path inside the file, for error messages

    def command_id(self, slug):
        body = json.dumps({"type": self.type, **self.data}, sort_keys=True, default=str)
        return str(uuid.uuid5(SEED_NAMESPACE, f"{slug}|{hashlib.sha256(body.encode()).hexdigest()}"))


@dataclass
class AgreementPlan:
    file: Path
    slug: str
    first: list[PlannedCommand] = field(default_factory=list)  # the agreement's own facts
    second: list[PlannedCommand] = field(default_factory=list)  # links to other agreements, publication


def _participation(doc: dict, slug: str) -> list:
    """`entry_into_force_rule` (SetEntryIntoForceRule's fields) and `statements` (MakeStatement's fields; an
    objection's `objects_to` is the index of the statement it answers in the same list), each with citations."""
    from agreements.domain.identities import statement_identity
    from agreements.domain.vocabulary import RULE_SUBJECT, statement_subject

    planned = []
    rule = doc.get("entry_into_force_rule")
    if rule:
        fields = {k: v for k, v in rule.items() if k != "citations"}
        planned.append(PlannedCommand("SetEntryIntoForceRule", fields, "entry_into_force_rule"))
        planned += _citations(rule.get("citations"), RULE_SUBJECT, "entry_into_force_rule")
    for i, st in enumerate(doc.get("statements") or []):
        where = f"statements[{i}]"
        fields = {k: v for k, v in st.items() if k != "citations"}
        if isinstance(fields.get("objects_to"), int):
            fields["objects_to"] = statement_identity(slug, fields["objects_to"] + 1)
        planned.append(PlannedCommand("MakeStatement", fields, where))
        planned += _citations(st.get("citations"), statement_subject(statement_identity(slug, i + 1)), where)
    return planned


def _citations(items, supports, where) -> list[PlannedCommand]:
    planned = []
    for i, item in enumerate(items or []):
        data = {"source": item.get("source"), "locator": item.get("locator", ""), "quote": item.get("quote", "")}
        data["supports"] = item.get("supports", supports) or ""
        planned.append(PlannedCommand("AttachCitation", data, f"{where}.citations[{i}]"))
    return planned


def _obligations(slug, clause: dict, where) -> list[PlannedCommand]:
    """A clause's coded obligations, each with an id derived from its place so its citations can name it."""
    planned = []
    for j, item in enumerate(clause.get("obligations") or []):
        owhere = f"{where}.obligations[{j}]"
        obligation_id = str(uuid.uuid5(SEED_NAMESPACE, f"{slug}|obligation|{clause.get('eid')}|{j}"))
        data = {k: v for k, v in (item or {}).items() if k != "citations"}
        if isinstance(data.get("note"), str):
            data["note"] = data["note"].strip()
        planned.append(PlannedCommand("CodeObligation", {"eid": clause.get("eid"), **data, "obligation_id": obligation_id},
                                      owhere))
        planned += _citations((item or {}).get("citations"), f"obligation:{obligation_id}", owhere)
    return planned


MAX_TEXT_QUOTE_WORDS = 12  # each imported clause is cited by its first words, found in the stored text


def _seed_file(path: Path, slug, name, where) -> Path:
    """A file the seed names, inside the seeds folder (never outside it, whatever the name says)."""
    seeds_dir = Path(path).resolve().parent.parent
    if not isinstance(name, str) or not name.strip():
        raise SeedError(path, slug, where, "names no file")
    target = (seeds_dir / name).resolve()
    if seeds_dir not in target.parents or not target.is_file():
        raise SeedError(path, slug, where, f"'{_bounded(name, 120)}' is not a file in the seeds folder")
    if target.stat().st_size > max_file_bytes():
        raise SeedError(path, slug, where, f"'{_bounded(name, 120)}' is larger than {max_file_bytes()} bytes")
    return target


def _text_commands(path, slug, doc, item, where) -> tuple[list[PlannedCommand], set]:
    """An official text kept under seeds/texts, split into clauses by the plain-text importer
    (agreements/importers/text.py, the same reading as `import_text`): one AddClause per unit, each cited
    by its first words in the source whose stored text is that same file."""
    from agreements.importers.documents import ImportRefused
    from agreements.importers.text import split

    if not isinstance(item, dict):
        raise SeedError(path, slug, where, "must be a mapping with file, language and source")
    target = _seed_file(path, slug, item.get("file"), f"{where}.file")
    try:
        clauses = split(target.read_text(encoding="utf-8"))
    except (ValueError, ImportRefused) as exc:
        raise SeedError(path, slug, f"{where}.file", str(exc)) from None
    language = item.get("language") or "en"
    effective = item.get("effective") or doc.get("work_date")
    planned, eids = [], set()
    for clause in clauses:
        cwhere = f"{where}:{clause.eid}"
        data = {"eid": clause.eid, "text": clause.text, "text_kind": item.get("text_kind") or "official",
                "number": clause.number, "heading": clause.heading, "language": language, "parent": clause.parent,
                "effective": effective}
        planned.append(PlannedCommand("AddClause", {k: v for k, v in data.items() if v not in (None, "")}, cwhere))
        words = (clause.text or clause.heading).split()[:MAX_TEXT_QUOTE_WORDS]
        locator = "Preamble" if clause.eid == "preamble" else f"{clause.eid.split('_')[0]} {clause.number}".replace(
            "art ", "Article ").replace("chp ", "Chapter ")
        planned += _citations([{"source": item.get("source"), "locator": locator, "quote": " ".join(words)}],
                              clause.eid, cwhere)
        eids.add((clause.eid, language))
    return planned, eids


def plan_agreement(path: Path, doc: dict) -> AgreementPlan:
    if not isinstance(doc, dict) or "slug" not in doc:
        raise SeedError(path, None, "slug", "An agreement file must be a mapping with a slug.")
    slug = doc["slug"]
    if not isinstance(slug, str):
        raise SeedError(path, None, "slug", f"must be text, not {_bounded(slug, 60)}")
    plan = AgreementPlan(path, slug)
    first, second = plan.first, plan.second
    first.append(PlannedCommand("DraftAgreement", {
        k: doc[k] for k in ("slug", "title", "kind", "summary", "place", "titles", "work_date") if doc.get(k) is not None
    }, "agreement"))
    first += _citations(doc.get("citations"), "", "agreement")
    for i, p in enumerate(doc.get("parties") or []):
        where = f"parties[{i}]"
        first.append(PlannedCommand("AddParty", {"party": p.get("party"), "role": p.get("role") or ""}, where))
        first += _citations(p.get("citations"), f"party:{p.get('party')}", where)
    for i, f in enumerate(doc.get("lifecycle") or []):
        where = f"lifecycle[{i}]"
        data = {"action": f.get("action"), "date": f.get("date"), "party": f.get("party")}
        data.update({k: f[k] for k in ("effective", "predecessor", "territory", "notification") if f.get(k)})
        first.append(PlannedCommand("RecordLifecycle", data, where))
        subject = lifecycle_subject(f.get("action"), f.get("party"))
        first += _citations(f.get("citations"), subject, where)
    first += _participation(doc, slug)
    for i, r in enumerate(doc.get("registrations") or []):
        where = f"registrations[{i}]"
        data = {k: r.get(k) for k in ("registration_number", "date", "registering_body") if r.get(k) is not None}
        first.append(PlannedCommand("RecordRegistration", data, where))
        first += _citations(r.get("citations"), REGISTRATION_SUBJECT, where)
    for i, d in enumerate(doc.get("depositaries") or []):
        where = f"depositaries[{i}]"
        first.append(PlannedCommand("NameDepositary", {"depositary": d.get("depositary")}, where))
        first += _citations(d.get("citations"), DEPOSITARY_SUBJECT, where)
    imported = set()
    for i, item in enumerate(doc.get("texts") or []):
        planned, eids = _text_commands(path, slug, doc, item, f"texts[{i}]")
        first += planned
        imported |= eids
    for i, cl in enumerate(doc.get("clauses") or []):
        where = f"clauses[{i}]"
        data = {k: cl[k] for k in ("eid", "text", "text_kind", "number", "heading", "language", "parent", "effective")
                if cl.get(k) is not None}
        if doc.get("work_date") and "effective" not in data:
            data["effective"] = doc["work_date"]  # a clause holds from the agreement's date unless told otherwise
        if isinstance(data.get("text"), str):
            data["text"] = data["text"].strip()
        if "text" in data or (cl.get("eid"), cl.get("language") or "en") not in imported:
            first.append(PlannedCommand("AddClause", data, where))
        # else: an entry without text annotates a clause the imported text added (citations, amendments...)
        first += _citations(cl.get("citations"), cl.get("eid"), where)
        first += _obligations(slug, cl, where)
        for j, am in enumerate(cl.get("amendments") or []):
            # An amendment by another instrument waits for the second pass, when every agreement exists.
            stage = second if am.get("by") else first
            stage.append(PlannedCommand("AmendClause", {"eid": cl.get("eid"), **am}, f"{where}.amendments[{j}]"))
        for j, ref in enumerate(cl.get("references") or []):
            rwhere = f"{where}.references[{j}]"
            data = {"eid": cl.get("eid"), "target": ref.get("target"), "target_eid": ref.get("target_eid"),
                    "note": (ref.get("note") or "").strip()}
            second.append(PlannedCommand("AddReference", data, rwhere))
            subject = reference_subject(cl.get("eid"), ref.get("target"), ref.get("target_eid"))
            second += _citations(ref.get("citations"), subject, rwhere)
    for i, rel in enumerate(doc.get("relations") or []):
        where = f"relations[{i}]"
        data = {"relation": rel.get("relation"), "target": rel.get("target"), "note": (rel.get("note") or "").strip()}
        second.append(PlannedCommand("AddRelation", data, where))
        second += _citations(rel.get("citations"), relation_subject(rel.get("relation"), rel.get("target")), where)
    publication = doc.get("publication", "draft")
    if publication not in ("draft", "in_review", "published"):
        raise SeedError(path, slug, "publication", f"'{_bounded(publication, 60)}' is not draft, in_review or published.")
    if publication in ("in_review", "published"):
        second.append(PlannedCommand("SubmitForReview", {"note": "seed"}, "publication"))
    if publication == "published":
        data = {"note": "seed"}
        if doc.get("publication_reason"):  # why it is published although some facts cite no source
            data["uncited_reason"] = str(doc["publication_reason"]).strip()
        second.append(PlannedCommand("Publish", data, "publication"))
    return plan


class _PlainYamlLoader(yaml.SafeLoader):
    """YAML without aliases: `*name` can expand a few hundred bytes into gigabytes (a "billion laughs" bomb),
    and seed files never need one."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in seed files; write the value out", mark)
        return super().compose_node(parent, index)

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if isinstance(value, str) and "\x00" in value:  # `"\0"` in a quoted string: no database text holds one
            raise _NulInYaml(node.start_mark.line + 1)
        return value


class _NulInYaml(Exception):
    def __init__(self, line):
        self.line = line


def max_file_bytes() -> int:
    return int(getattr(settings, "PACTA_IMPORT_MAX_BYTES", 2 * 1024 * 1024))


def read_yaml(path: Path):
    """A seed file as plain data: at most PACTA_IMPORT_MAX_BYTES, no aliases, bounded nesting."""
    try:
        size = path.stat().st_size
        if size > max_file_bytes():
            raise SeedError(path, None, "file", f"is {size} bytes; files of at most {max_file_bytes()} bytes "
                            "are read (PACTA_IMPORT_MAX_BYTES)")
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainYamlLoader)  # noqa: S506 - a SafeLoader
    except (OSError, ValueError, yaml.YAMLError) as exc:  # ValueError: not UTF-8
        raise SeedError(path, None, "file", f"cannot be read as YAML: {exc}") from None
    except RecursionError:
        raise SeedError(path, None, "file", "is nested too deeply to be a seed file") from None
    except _NulInYaml as exc:
        raise SeedError(path, None, f"line {exc.line}", "a NUL character (U+0000, written \\0 or \\x00 in a quoted "
                        "string): no text may hold one; nothing of this file was written") from None


def load_parties(path: Path) -> int:
    """Create or update parties (reference data); returns how many changed."""
    items = read_yaml(path) or []
    changed = 0
    for item in items:  # first pass: the parties themselves, then their links
        party = Party.objects.filter(code=item["code"]).first() or Party(code=item["code"])
        values = {"name": item["name"], "kind": item["kind"], "iso3166": item.get("iso3166") or "",
                  "wikidata": item.get("wikidata") or "", "note": (item.get("note") or "").strip()}
        if party.pk is None or any(getattr(party, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(party, k, v)
            party.save()
            changed += 1
    codes = {p.code: p for p in Party.objects.all()}
    for item in items:
        party = codes[item["code"]]
        links = {"predecessor": codes.get(item.get("predecessor")) if item.get("predecessor") else None,
                 "parent": codes.get(item.get("parent")) if item.get("parent") else None}
        for name, target in links.items():
            if item.get(name) and target is None:
                raise SeedError(path, item["code"], name, f"unknown party code '{item.get(name)}'.")
        if any(getattr(party, k) != v for k, v in links.items()):
            for k, v in links.items():
                setattr(party, k, v)
            party.save()
            changed += 1
        wanted = [(n["name"], n.get("from") or "", n.get("to") or "", n.get("language") or "en")
                  for n in item.get("names") or []]
        have = list(party.names.values_list("name", "valid_from", "valid_to", "language").order_by("id"))
        if wanted != have:
            party.names.all().delete()
            for name, start, end, language in wanted:
                PartyName.objects.create(party=party, name=name, valid_from=start, valid_to=end, language=language)
            changed += 1
    return changed


def _check_text_hash(path, key, text, recorded):
    """A supplied source text must be the one the quotes were checked against (its recorded SHA-256)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    if recorded and digest != recorded:
        raise SeedError(path, key, "snapshot_file", f"the text supplied has SHA-256 {digest}, not the recorded "
                        f"{recorded}: it is not the text the citations were checked against")


SOURCE_TEXT_FIELDS = ("title", "publisher", "author", "published", "accessed", "url", "language", "kind")
SOURCE_LIMITS = {"key": 100, "title": 1000, "publisher": 500, "author": 500, "published": 100, "accessed": 100,
                 "url": 2000, "language": 12}
SOURCE_KINDS = ("official_text", "treaty_database", "news", "analysis")
MAX_EXCERPT = 5000  # an excerpt is the passage cited (a few sentences), never a whole page


def _source_values(path, item) -> dict:
    """One sources.yaml entry checked as hostile input: text fields are text without NUL bytes and within the
    columns' lengths, the address is http(s), the kind is known, an excerpt is short. Each refusal names the
    file, the source's key and the field."""
    if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not item["key"].strip():
        raise SeedError(path, None, "key", "every source is a mapping with a text key.")
    key = item["key"]
    values = {}
    for name in ("key", *SOURCE_TEXT_FIELDS, "perspective", "excerpt"):
        value = item.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise SeedError(path, key, name, f"must be text, not {_bounded(value, 60)}")
        if "\x00" in value:
            raise SeedError(path, key, name, "contains a NUL byte")
        limit = SOURCE_LIMITS.get(name)
        if limit and len(value) > limit:
            raise SeedError(path, key, name, f"is {len(value)} characters long; at most {limit} are kept")
        values[name] = value
    url = values["url"].strip()
    if url and not url.lower().startswith(("http://", "https://")):
        raise SeedError(path, key, "url", f"'{_bounded(url, 80)}' is not an http(s) address")
    if values["kind"] not in SOURCE_KINDS:
        raise SeedError(path, key, "kind", f"'{_bounded(values['kind'], 60)}' is not one of {', '.join(SOURCE_KINDS)}")
    if len(values["excerpt"]) > MAX_EXCERPT:
        raise SeedError(path, key, "excerpt", f"is {len(values['excerpt'])} characters long; an excerpt is the "
                        f"passage cited (at most {MAX_EXCERPT} characters), never a whole page")
    if sum(bool(x) for x in (values["excerpt"].strip(), item.get("snapshot_file"), item.get("text_file"))) > 1:
        raise SeedError(path, key, "excerpt", "a source has one of excerpt, snapshot_file and text_file")
    if item.get("text_file") and values["kind"] != "official_text":
        raise SeedError(path, key, "text_file", "only an official text is kept whole (text_file); quote others "
                        "by an excerpt")
    return values


def load_sources(path: Path, texts_dir: Path | None = None) -> int:
    """Create or update sources. A source's stored text (for quote checking) is its `excerpt`, kept in the
    file itself so a clean clone checks its quotes, or else its `snapshot_file` from PACTA_SOURCE_TEXTS."""
    from sources.models import Source

    texts_dir = Path(texts_dir or settings.PACTA_SOURCE_TEXTS)
    changed = 0
    for item in read_yaml(path) or []:
        given = _source_values(path, item)
        source = Source.objects.filter(key=given["key"]).first() or Source(key=given["key"])
        values = {k: given[k] for k in SOURCE_TEXT_FIELDS}
        values["perspective"] = given["perspective"].strip()
        values["language"] = values["language"] or "en"
        snapshot = item.get("snapshot_file")
        values["text_sha256"] = (item.get("text_sha256") or "").strip().lower()
        if given["excerpt"].strip():
            values["snapshot_text"] = given["excerpt"].strip()
            _check_text_hash(path, item["key"], values["snapshot_text"], values["text_sha256"])
        elif item.get("text_file"):  # an official text kept in the repository (seeds/texts), whole
            values["snapshot_text"] = _seed_file(path, item["key"], item["text_file"], "text_file").read_text(
                encoding="utf-8")
            _check_text_hash(path, item["key"], values["snapshot_text"], values["text_sha256"])
        elif snapshot and (texts_dir / snapshot).is_file():
            values["snapshot_text"] = (texts_dir / snapshot).read_text(encoding="utf-8")
            _check_text_hash(path, item["key"], values["snapshot_text"], values["text_sha256"])
        # Without its text the source stays usable; its quotes just cannot be checked until a snapshot is
        # stored (missing_snapshots() lists them; load_seeds says so in one line).
        if source.pk is None or any(getattr(source, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(source, k, v)
            source.save()
            changed += 1
    return changed


def source_excerpts(path: Path) -> dict[str, str]:
    """The texts kept in the repository (an `excerpt`, or an official `text_file` under seeds/), by source key:
    the texts every seed quote of theirs must occur in."""
    texts = {}
    for item in read_yaml(path) or []:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("excerpt"), str) and item["excerpt"].strip():
            texts[item["key"]] = item["excerpt"]
        elif item.get("text_file"):
            texts[item["key"]] = _seed_file(path, item["key"], item["text_file"], "text_file").read_text(encoding="utf-8")
    return texts


def check_quotes(plans: list[AgreementPlan], excerpts: dict[str, str]) -> None:
    """A seed citation of a source whose excerpt is in the file must quote that excerpt: otherwise the load is
    refused, naming the file, the agreement and the citation (a quote never found is never recorded)."""
    from agreements.validation.citations import normalise, quote_in

    texts = {key: normalise(text) for key, text in excerpts.items()}
    for plan in plans:
        for planned in (*plan.first, *plan.second):
            if planned.type != "AttachCitation" or planned.data.get("source") not in texts:
                continue
            quote = planned.data.get("quote") or ""
            if not str(quote).strip():
                raise SeedError(plan.file, plan.slug, planned.where, f"a citation of {planned.data['source']} "
                                "needs a quote from its excerpt")
            if not quote_in(str(quote), texts[planned.data["source"]]):
                raise SeedError(plan.file, plan.slug, f"{planned.where}.quote",
                                f"'{_bounded(quote, 120)}' is not in the excerpt of {planned.data['source']}")


def missing_snapshots(path: Path, texts_dir: Path | None = None) -> list[str]:
    """The keys of the sources whose snapshot file is not in the texts folder (PACTA_SOURCE_TEXTS)."""
    texts_dir = Path(texts_dir or settings.PACTA_SOURCE_TEXTS)
    return [item["key"] for item in read_yaml(path) or []
            if item.get("snapshot_file") and not (texts_dir / item["snapshot_file"]).is_file()]


def plan_files(paths) -> list[AgreementPlan]:
    plans, seen = [], {}
    for path in paths:
        plan = plan_agreement(path, read_yaml(path))
        if plan.slug in seen:
            raise SeedError(path, plan.slug, "slug", f"also defined in {seen[plan.slug]}.")
        seen[plan.slug] = path
        plans.append(plan)
    return plans


def run_plans(plans: list[AgreementPlan], user=None, progress=None) -> int:
    """Run every planned command (first passes, then second passes) in one transaction. Returns events appended.

    The first passes of agreements not stored yet go through the bulk path (services.handle_bulk: decided in
    memory, stored and projected in batches); agreements already stored take the command path, where each
    command's deterministic id makes a repeated one append nothing. Second passes (relations, references,
    which may point at any file's agreement) always take the command path."""
    with transaction.atomic():
        appended, bulk_done = _run_new_first_passes(plans, user, progress)
        for stage in ("first", "second"):
            for plan in plans:
                if stage == "first" and plan.slug in bulk_done:
                    continue
                for planned in getattr(plan, stage):
                    result = _handle_planned(plan, planned, user)
                    if result is None:
                        continue
                    if not result.replayed:
                        appended += len(result.events)
                if progress:
                    progress(plan)
    return appended


def _command(plan, planned):
    try:
        return parse_command(planned.type, {**planned.data, "command_id": planned.command_id(plan.slug)})
    except InvalidCommand as exc:
        field_name, messages = next(iter(exc.errors.items()))
        raise SeedError(plan.file, plan.slug, f"{planned.where}.{field_name}", " ".join(messages)) from None


def _refused(plan, planned, exc):
    field_name = getattr(exc, "field", None) or "-"
    return SeedError(plan.file, plan.slug, f"{planned.where}.{field_name}", str(exc))


def _one_of_several_versions(plan, planned) -> bool:
    """A lifecycle fact the file records more than once for the same party (sources that disagree on its date,
    each cited): each is a fact of its own, never a correction of the other."""
    if planned.type != "RecordLifecycle":
        return False
    key = (planned.data.get("action"), planned.data.get("party"))
    return sum(1 for p in plan.first
               if p.type == "RecordLifecycle" and (p.data.get("action"), p.data.get("party")) == key) > 1


def _handle_planned(plan, planned, user):
    """Run a seed command; one that an earlier version of the file already recorded becomes a correction."""
    command = _command(plan, planned)
    reason = f"seed file {Path(plan.file).name} corrected ({planned.where})"
    try:
        if isinstance(command, NameDepositary) and services.load(plan.slug).exists:
            in_file = [str(p.data.get("depositary") or "").strip() for p in plan.first if p.type == "NameDepositary"]
            command = seed_corrections.depositary(plan.slug, command, in_file, reason)
            return services.handle(command, slug=plan.slug, user=user) if command else None
        if (not isinstance(command, DraftAgreement) and not _one_of_several_versions(plan, planned)
                and seed_corrections.needs_reconciling(plan.slug, command)):
            command = seed_corrections.reconcile(plan.slug, command, reason)
            return services.handle(command, slug=plan.slug, user=user) if command else None
        try:
            return services.handle(command, slug=plan.slug, user=user)
        except RuleViolated as exc:
            if (exc.rule not in ("agreement_exists", "duplicate_eid", "already_registered")
                    and exc.rule not in seed_corrections.ALREADY_THERE):
                raise
            fixed = seed_corrections.reconcile(plan.slug, command, reason, exc.rule)
            return services.handle(fixed, slug=plan.slug, user=user) if fixed else None
    except DomainError as exc:
        raise _refused(plan, planned, exc) from None


def _run_new_first_passes(plans, user, progress) -> tuple[int, set[str]]:
    """The first passes of the agreements not stored yet, in bulk: (events appended, slugs it ran)."""
    from .projections.models import AgreementRecord

    stored = set(AgreementRecord.objects.filter(slug__in=[p.slug for p in plans]).values_list("slug", flat=True))
    new = [p for p in plans if p.slug not in stored]
    if not new:
        return 0, set()
    by_slug = {p.slug: p for p in new}
    batch = [services.NewAgreement(p.slug, [_command(p, planned) for planned in p.first]) for p in new]
    try:
        result = services.handle_bulk(batch, user=user)
    except services.BulkRefused as refused:
        plan = by_slug[refused.slug]
        if isinstance(refused.error, DomainError):
            raise _refused(plan, plan.first[refused.index], refused.error) from None
        raise refused.error from None
    if progress:
        for p in new:
            progress(p)
    return result.events, set(result.created)


def load_seeds(seeds_dir: Path = SEEDS_DIR, progress=None) -> int:
    with transaction.atomic():
        load_parties(seeds_dir / "reference" / "parties.yaml")
        load_sources(seeds_dir / "reference" / "sources.yaml")
        plans = plan_files(sorted((seeds_dir / "agreements").glob("*.yaml")))
        check_quotes(plans, source_excerpts(seeds_dir / "reference" / "sources.yaml"))
        return run_plans(plans, progress=progress)
