"""The dependency directions of the design, enforced: `lint-imports` checks the contracts in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

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


def test_a_domain_module_importing_django_breaks_the_contracts(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "agreements" / "domain" / "leaky.py").write_text("from django.db import models  # noqa\n")
    result = lint_imports(code)
    assert result.returncode != 0
    assert "agreements.domain.leaky -> django" in result.stdout


def test_the_browser_importing_the_api_breaks_the_contracts(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "agreements" / "browser" / "leaky.py").write_text("from agreements.api import renderers  # noqa\n")
    result = lint_imports(code)
    assert result.returncode != 0
    assert "agreements.browser.leaky -> agreements.api.renderers" in result.stdout


def test_an_edge_importing_the_event_store_breaks_the_contracts(tmp_path):
    code = copy_of_the_code(tmp_path)
    (code / "agreements" / "admin" / "leaky.py").write_text("from registry.eventstore import store  # noqa\n")
    result = lint_imports(code)
    assert result.returncode != 0
    assert "agreements.admin.leaky -> registry.eventstore.store" in result.stdout
