"""tools/tlog_verify.py, which shares no code with Pacta, checks Pacta's checkpoints and proofs; and it agrees
with other projects' published vectors (Go's signed note, transparency-dev's proof probes)."""

import base64
import importlib.util
import json
import time
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from registry.eventstore import note
from registry.eventstore.tasks import sign_checkpoint
from tests.api.conftest import STRATEGIC, make_agreement, run  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "tlog"
spec = importlib.util.spec_from_file_location("tlog_verify", ROOT / "tools" / "tlog_verify.py")
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def test_the_verifier_has_no_import_of_pacta_or_of_anything_outside_the_standard_library():
    imports = [line for line in (ROOT / "tools" / "tlog_verify.py").read_text().splitlines()
               if line.startswith(("import ", "from "))]
    assert {line.split()[1].split(".")[0] for line in imports} <= {
        "__future__", "argparse", "base64", "hashlib", "json", "struct", "sys", "urllib"}


def test_the_verifiers_ed25519_opens_the_go_signed_note():
    vectors = json.loads((FIXTURES / "vectors.json").read_text())["note"]
    assert tool.open_note(vectors["signed"], vectors["verifier_key"]) == vectors["text"]
    with pytest.raises(tool.Failed):
        tool.open_note(vectors["signed"].replace("problem,", "problem;"), vectors["verifier_key"])


@pytest.mark.parametrize("kind", ["inclusion", "consistency"])
def test_the_verifiers_proof_checks_agree_with_the_published_probes(kind):
    for path in sorted((FIXTURES / "transparency-dev-merkle" / "testdata" / kind).rglob("*.json")):
        p = json.loads(path.read_text())
        b = lambda s: base64.b64decode(s) if s else b""  # noqa: E731
        proof = [b(h) for h in p["proof"] or []]
        if kind == "inclusion":
            ok = tool.inclusion_ok(p["leafIdx"], p["treeSize"], b(p["leafHash"]), proof, b(p["root"]))
        else:
            ok = tool.consistency_ok(p["size1"], p["size2"], b(p["root1"]), b(p["root2"]), proof)
        assert ok is not p["wantErr"], f"{path.parent.name}/{path.name}: {p['desc']}"


@pytest.fixture
def api(settings, db):
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 0
    settings.PACTA_API_ANON_RATE = None
    sign_checkpoint()  # beat's tick: a checkpoint of the log as it is
    client = APIClient()

    def get(url):
        response = client.get(url.replace("http://testserver", ""))
        assert response.status_code == 200, (url, response.content)
        return response.content

    return client, get


def run_tool(get, *args):
    lines = []
    code = tool.main(["http://testserver", *args], get=get, out=lines.append)
    return code, lines


def key(client):
    return client.get("/api/v1/log/key").content.decode().strip()


def test_the_verifier_checks_the_signed_checkpoint_and_a_public_events_inclusion(api):
    client, get = api
    code, lines = run_tool(get, "--key", key(client), "--position", "5")
    assert code == 0, lines
    assert lines[-1] == "position 5: included"


def test_the_verifier_recomputes_the_whole_tree_anonymously_with_a_hidden_agreement(api, make_agreement):
    client, get = api
    make_agreement("secret-draft-2024", clauses=1)
    sign_checkpoint()  # beat's tick: checkpoints are signed in the background, never on read
    hidden = json.loads(get("/api/v1/events/?after=0&page_size=1000"))
    position = next(e["position"] for e in hidden["results"] if "stream_id" not in e)
    code, lines = run_tool(get, "--key", key(client), "--all", "--position", str(position))
    assert code == 0, lines
    assert f"position {position}: included (hidden: leaf hash only)" in lines
    assert lines[-1].endswith("the recomputed tree has the signed root")


def test_the_verifier_checks_a_kept_checkpoint_is_a_prefix_of_the_new_one(api):
    client, get = api
    text, _ = note.split(get("/api/v1/log/checkpoint").decode())
    old = note.Checkpoint.parse(text)
    run(STRATEGIC, "EditDetails", summary="later")
    sign_checkpoint()
    assert note.Checkpoint.parse(note.split(get("/api/v1/log/checkpoint").decode())[0]).size == old.size + 1
    code, lines = run_tool(get, "--key", key(client), "--since", f"{old.size}:{base64.b64encode(old.root).decode()}")
    assert code == 0, lines
    code, lines = run_tool(get, "--key", key(client), "--since", f"{old.size}:{base64.b64encode(bytes(32)).decode()}")
    assert code == 1 and "does not extend" in lines[-1]


def test_the_verifier_refuses_a_checkpoint_under_another_key(api):
    _, get = api
    other = note.Signer.generate("localhost/pacta").verifier().line()
    code, lines = run_tool(get, "--key", other)
    assert code == 1 and lines[-1].startswith("FAILED")


def test_the_verifier_refuses_a_checkpoint_whose_root_was_changed(api):
    client, get = api

    def tampered(url):
        body = get(url)
        if url.endswith("/log/checkpoint"):
            lines = body.decode().split("\n")
            lines[2] = base64.b64encode(bytes(32)).decode()
            return "\n".join(lines).encode()
        return body

    code, lines = run_tool(tampered, "--key", key(client))
    assert code == 1 and "does not verify" in lines[-1]


def test_the_verifier_checks_a_witness_cosignature_on_the_checkpoint(api, settings, archivist):
    from rest_framework.authtoken.models import Token

    client, get = api
    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    witness = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    settings.PACTA_LOG_WITNESSES = [witness.verifier().line()]
    body = get("/api/v1/log/checkpoint").decode()
    writer = APIClient()
    writer.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=archivist)[0].key}")
    line = note.cosign(note.split(body)[0], witness, int(time.time()))
    assert writer.post("/api/v1/log/cosignatures", {"checkpoint": body, "cosignature": line},
                       format="json").status_code == 201
    code, lines = run_tool(get, "--key", key(client), "--witness", witness.verifier().line())
    assert code == 0, lines
    assert lines[1].startswith("cosigned by witness.example/w1")
