"""Renderers for the exports downstream applications ask for: Akoma Ntoso XML and CSV."""

from __future__ import annotations

import csv
import json
import io

from rest_framework.renderers import BaseRenderer

from . import akn


class AkomaNtosoRenderer(BaseRenderer):
    """`?format=akn` or `Accept: application/akn+xml` on an agreement's detail. The view hands over the
    AgreementView itself (as `data`), since the XML needs more than the JSON shape."""

    media_type = "application/akn+xml"
    format = "akn"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if hasattr(data, "work_uri"):
            return akn.build(data)
        # Errors (404, 400...) stay readable: a tiny XML document with the message.
        import xml.etree.ElementTree as ET

        root = ET.Element("error")
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        root.text = akn._text(detail)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


class CSVRenderer(BaseRenderer):
    """The agreement list as CSV (`?format=csv` or `Accept: text/csv`): one row per agreement."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    columns = ["slug", "title", "titles", "kind", "status", "publication", "work_date", "signed", "signed_earliest",
               "signed_latest", "in_force", "in_force_earliest", "in_force_latest", "parties", "registration_number",
               "registration_date", "depositaries", "version", "work_uri", "url"]

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        if isinstance(data, dict) and "results" not in data:  # an error
            writer = csv.writer(out)
            writer.writerow(["detail"])
            writer.writerow([data.get("detail", "")])
            return out.getvalue().encode("utf-8")
        rows = data["results"] if isinstance(data, dict) else data
        writer = csv.DictWriter(out, fieldnames=self.columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            row = dict(row)
            row["parties"] = " ".join(row.get("parties") or [])
            # Titles in other languages keep their language codes: {"tr": "…", "az": "…"} as JSON.
            row["titles"] = json.dumps(row.get("titles") or {}, ensure_ascii=False, sort_keys=True)
            row["depositaries"] = "; ".join(row.get("depositaries") or [])  # names may hold spaces and commas
            writer.writerow({k: _safe(row.get(k)) for k in self.columns})
        return out.getvalue().encode("utf-8")


def _safe(value):
    """Cells a spreadsheet would run as a formula are prefixed with a quote (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
