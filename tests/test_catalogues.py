"""The translation catalogues (agreements/locale: Turkish, Azerbaijani, Russian) hold every message the code and
the templates use, each translated, and the compiled .mo files that Django reads say what the .po files say."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "agreements" / "locale"
LANGUAGES = ["tr", "az", "ru"]
# What `make messages` extracts from (and what it leaves out).
IGNORED = [".venv", "tests", "bench", "staticfiles", "seeds", "test-artifacts", "docs"]


def messages(po) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in po if not entry.obsolete}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages `makemessages` finds in a copy of the code today (so the real catalogues stay untouched)."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (GNU gettext) is needed to extract messages: `make test` installs Debian's gettext")
    copy = tmp_path_factory.mktemp("messages") / "pacta"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED, "*.pyc", "__pycache__", ".git", "*.sqlite3"))
    shutil.rmtree(copy / "agreements" / "locale")
    (copy / "agreements" / "locale").mkdir()
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "tr", "--no-location",
                    *[f"--ignore={name}" for name in IGNORED]],
                   cwd=copy, check=True, capture_output=True, env={"PATH": "/usr/bin:/bin", "PACTA_TESTING": "1"})
    return messages(polib.pofile(str(copy / "agreements" / "locale" / "tr" / "LC_MESSAGES" / "django.po")))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_message_the_code_uses(extracted, language):
    catalogue = messages(polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")))
    assert len(extracted) > 100  # the extraction found the messages at all
    assert extracted - catalogue == set(), "run `make messages` and translate the new messages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    translations = lambda catalogue: {  # noqa: E731
        (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in catalogue if e.msgid}
    assert translations(mo) == translations(po), "run `make messages` to compile the catalogues"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(language):
    import re

    placeholders = lambda text: set(re.findall(r"%\([a-z_0-9]+\)s", text))  # noqa: E731
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    wrong = [e.msgid for e in po if not e.msgid_plural and placeholders(e.msgstr) != placeholders(e.msgid)]
    assert wrong == []
