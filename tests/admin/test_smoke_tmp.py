from agreements.models import AgreementRecord
from .conftest import change_url, add_url, history_url


def test_smoke(archivist_client):
    r = archivist_client.get("/admin/agreements/agreementrecord/")
    assert r.status_code == 200, r.content[:3000]
    rec = AgreementRecord.objects.get(slug="tr-az-strategic-partnership-2010")
    r = archivist_client.get(change_url(rec))
    assert r.status_code == 200, r.content.decode()[:5000]
    r = archivist_client.get(add_url())
    assert r.status_code == 200
    r = archivist_client.get(history_url(rec))
    assert r.status_code == 200
    open("/tmp/admin-change.html", "w").write(archivist_client.get(change_url(rec)).content.decode())
    open("/tmp/admin-history.html", "w").write(r.content.decode())
