"""The dependency directions of the design, enforced: `lint-imports` checks the contracts in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_code_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def copy_of_the_code(tmp_path: Path) -> Path:
    for name in ("agreements", "registry", "sources"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.html", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize("place, line, broken", [
    ("agreements/domain/leaky.py", "from django.db import models", "agreements.domain.leaky -> django"),
    ("agreements/browser/leaky.py", "from agreements.api import renderers",
     "agreements.browser.leaky -> agreements.api.renderers"),
    ("agreements/admin/leaky.py", "from registry.eventstore import store",
     "agreements.admin.leaky -> registry.eventstore.store"),
    ("registry/eventstore/leaky.py", "from agreements import services", "registry.eventstore.leaky -> agreements"),
    ("sources/leaky.py", "from agreements.queries import parties", "sources.leaky -> agreements.queries.parties"),
    ("sources/admin/leaky.py", "from agreements.admin import forms", "sources.admin.leaky -> agreements.admin.forms"),
])
def test_a_forbidden_import_breaks_the_contracts(tmp_path, place, line, broken):
    """A domain module importing Django, the browser importing the API, an edge importing the store, the store
    importing the agreements, the reference data importing the agreements' reads or admin: each is reported,
    and lint-imports fails."""
    code = copy_of_the_code(tmp_path)
    (code / place).write_text(f"{line}  # noqa\n")
    result = lint_imports(code)
    assert result.returncode != 0
    assert broken in result.stdout
