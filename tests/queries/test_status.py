"""One status everywhere: the admin changelist, the API list and detail, the CSV and the public page agree,
for every seed agreement and for hand-made lifecycles (the rule's table: agreements/domain/status.py)."""

import csv
import html
import io
import re
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agreements import services
from agreements.domain.commands import parse_command
from agreements.browser.present import STATUS_LABELS
from agreements.models import AgreementRecord

SEED_SLUGS = sorted(
    yaml.safe_load(path.read_text())["slug"]
    for path in (Path(__file__).resolve().parents[2] / "seeds" / "agreements").glob("*.yaml")
)

# Hand-made lifecycles: (action, date, party) facts and the status the rule gives today.
LIFECYCLES = {
    "accession-only": ([("accession", "2001-03-01", "AZE")], "in_force"),
    "signature-only": ([("signature", "2012-05-01", None)], "signed"),
    "ratified": ([("signature", "2012-05-01", None), ("ratification", "2013", "TUR")], "signed"),
    "in-force": ([("signature", "2012-05-01", None), ("entry_into_force", "2012-06", None)], "in_force"),
    "terminated": ([("signature", "2012-05-01", None), ("entry_into_force", "2012-06", None),
                    ("termination", "2019", None)], "terminated"),
    "withdrawn": ([("signature", "2012-05-01", None), ("entry_into_force", "2012-06", None),
                   ("ratification", "2012-05-20", "AZE"), ("withdrawal", "2019", "AZE")], "in_force"),
    "no-facts": ([], "no_dated_fact"),
}


def run(stream_slug, type_name, **fields):
    return services.handle(parse_command(type_name, fields), slug=stream_slug)


def make_lifecycle(name):
    slug = f"status-{name}"
    run(slug, "DraftAgreement", slug=slug, title=f"Status case {name}", kind="agreement")
    for code in ("TUR", "AZE"):
        run(slug, "AddParty", party=code)
    for action, date, party in LIFECYCLES[name][0]:
        run(slug, "RecordLifecycle", action=action, date=date, **({"party": party} if party else {}))
    run(slug, "Publish", uncited_reason="test texts cite no source")
    return slug


def status_everywhere(slug) -> dict[str, str]:
    """The status of one agreement as each surface shows it, normalised to the vocabulary's spelling."""
    staff = get_user_model_staff()
    admin_client = Client()
    admin_client.force_login(staff)
    changelist = admin_client.get(reverse("admin:agreements_agreementrecord_changelist"), {"q": slug})
    model_admin = changelist.context["cl"].model_admin
    [record] = [r for r in changelist.context["cl"].result_list if r.slug == slug]
    api = APIClient()
    listed = {row["slug"]: row["status"] for row in api.get("/api/v1/agreements/", {"page_size": 500}).json()["results"]}
    rows = csv.DictReader(io.StringIO(api.get("/api/v1/agreements/", {"format": "csv"}).content.decode()))
    in_csv = {row["slug"]: row["status"] for row in rows}
    work_uri = AgreementRecord.objects.get(slug=slug).work_uri
    page = Client().get(work_uri + "/").content.decode()
    shown = html.unescape(re.search(r"<dt>Status on [^<]*</dt><dd>(?:<span class=\"badge [^\"]*\">)?([^<]*)<", page).group(1))
    return {
        "admin changelist": model_admin.status(record).lower().replace(" ", "_"),  # its label: "In force"
        "API list": listed[slug],
        "API detail": api.get(f"/api/v1/agreements/{slug}/").json()["status"],
        "CSV": in_csv[slug],
        # "Signed" says when no consent to be bound is recorded: "Signed; ratification not recorded".
        "public page": {label: status for status, label in STATUS_LABELS.items()}[shown.split(";")[0]],
    }


def get_user_model_staff():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="status-staff", defaults={"is_staff": True})
    user.groups.add(*Group.objects.filter(name="archivist"))
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_every_surface_shows_the_same_status_of_a_seed_agreement(slug):
    shown = status_everywhere(slug)
    assert len(set(shown.values())) == 1, shown


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(LIFECYCLES))
def test_every_surface_shows_the_status_the_lifecycle_gives(name):
    slug = make_lifecycle(name)
    shown = status_everywhere(slug)
    assert shown == dict.fromkeys(shown, LIFECYCLES[name][1])


@pytest.mark.django_db
def test_an_accession_is_not_a_signature():
    """NATO's Partnership for Peace: Azerbaijan's accession in 1994 is its only lifecycle fact."""
    assert set(status_everywhere("nato-pfp-azerbaijan-1994").values()) == {"in_force"}
