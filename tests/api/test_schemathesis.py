"""The live OpenAPI schema against the running API, with schemathesis: every check, every phase, 0 failures.

Two runs against a live server (`live_server`), anonymous and with an archivist token, each with every check
(`--checks all`: server errors, response shapes, status codes, content types and headers, schema-valid requests
accepted and schema-violating ones refused, auth, ...) and the phases examples, coverage, fuzzing and stateful
(the stateful phase follows the schema's OpenAPI links from what it creates to its reads and further commands).
Fixed seeds and a bounded number of examples per operation keep the runs the same every time and within a few
minutes: RUNS holds a run of every phase and a second seed with more examples per operation in the phases that
generate boundary values. The number of cases per phase and check is printed at the end of the pytest run.

tests/api/schemathesis.toml holds the two expected-status additions (412 for a stale If-Match, 428 without it);
tests/api/schemathesis_hooks.py teaches the tool the registry's `edtf` format and the text bodies (CSV, AKN).
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from .conftest import FUZZ_CASES as CASES

ROOT = Path(__file__).resolve().parents[2]
ALL_PHASES = "examples,coverage,fuzzing,stateful"
# (seed, examples per operation, phases). The first run walks every phase: its coverage phase, which does not
# depend on the seed, already tries each schema keyword's edges (a date parameter's pattern, undeclared
# parameters with a NUL). The second draws other random cases (another seed, four times the examples per
# operation) in the fuzzing phase, where an outside run of another seed found grammars the schema did not
# declare. It runs once in CI, on PostgreSQL (about 2 minutes per audience), to keep the suite's time.
RUNS = {
    "every-phase": (20261129, 10, ALL_PHASES),
    "more-examples": (20261206, 40, "fuzzing"),
}
POSTGRES_ONLY = {"more-examples"}


def run_schemathesis(base_url: str, report_dir: Path, headers: list[str], seed: int, examples: int,
                     phases: str) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(ROOT / "tests/api/schemathesis.toml"),
        "run", f"{base_url}/api/schema/?format=json", "--checks", "all", "--phases", phases,
        "--seed", str(seed), "--max-examples", str(examples), "--workers", "1", "--report", "ndjson",
        "--report-dir", str(report_dir), *headers,
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(command, capture_output=True, text=True, cwd=report_dir, env=env, timeout=1200)


def tally(report_dir: Path) -> tuple[collections.Counter, collections.Counter, collections.Counter]:
    """Cases per phase, and check outcomes per check, from the run's NDJSON report."""
    phases, passed, failed = collections.Counter(), collections.Counter(), collections.Counter()
    for path in report_dir.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished or finished.get("status") == "skip":
                continue
            recorder = finished["recorder"]
            phases[finished["phase"]] += len(recorder.get("cases", {}))
            for checks in recorder.get("checks", {}).values():
                for check in checks:
                    (passed if check["status"] == "success" else failed)[check["name"]] += 1
    return phases, passed, failed


@pytest.fixture
def archivist_token(archivist):
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=archivist)[0].key


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [pytest.param(run, marks=[pytest.mark.postgres] if run in POSTGRES_ONLY else [])
                                 for run in RUNS])
@pytest.mark.parametrize("audience", ["anonymous", "archivist"])
def test_every_check_and_phase_finds_nothing(audience, run, live_server, tmp_path, request):
    from registry.eventstore.tasks import sign_checkpoint

    sign_checkpoint()  # beat's tick: a registry whose log has no signed checkpoint yet answers 503 to its readers
    seed, examples, wanted = RUNS[run]
    headers = []
    if audience == "archivist":
        headers = ["--header", f"Authorization: Token {request.getfixturevalue('archivist_token')}"]
    result = run_schemathesis(live_server.url, tmp_path, headers, seed, examples, wanted)
    phases, passed, failed = tally(tmp_path)
    CASES[audience] += sum(phases.values())
    CASES.setdefault("runs", []).append((f"{audience}, {run} (seed {seed})", dict(phases), dict(passed),
                                         dict(failed)))
    assert result.returncode == 0 and not failed, result.stdout[-20000:] + result.stderr[-5000:]
    assert set(phases) == set(wanted.split(",")), phases  # every phase ran (stateful: the links were followed)


@pytest.fixture
def keep_the_test_connection():
    """Calls go through the WSGI app, whose request signals would close the test's connection (and with it
    the test transaction); Django's test client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_random_commands_based_on_the_current_version_are_refused_with_4xx_or_applied(archivist_token,
                                                                                      keep_the_test_connection):
    """The fuzzer cannot know an agreement's version; here every generated command is sent to a real agreement
    with the right If-Match, so the domain's rules themselves are fuzzed: 201 or a 4xx, never a 5xx."""
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from agreements.queries.events import current_version
    from registry.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    checks = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
    slug = "tr-az-strategic-partnership-2010"

    @given(case=schema["/api/v1/agreements/{slug}/commands/"]["POST"].as_strategy())
    @settings(max_examples=300, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def commands(case):
        CASES["archivist"] += 1
        case.path_parameters = {"slug": slug}
        case.headers = {**(case.headers or {}), "If-Match": f'"{current_version(slug)}"'}
        case.headers.pop("Idempotency-Key", None)
        response = case.call_and_validate(checks=checks, headers={"Authorization": f"Token {archivist_token}"})
        assert response.status_code in (201, 400, 403, 409, 415), response.text

    commands()
