"""Names compared as a reader sees them (domain/lookalike.py): a zero-width space, a look-alike Cyrillic or Greek
letter or full-width letters do not make another registering body or another depositary, and a text made only
of invisible characters is blank."""

import re

import pytest

from agreements.domain.commands import parse_command
from agreements.domain.errors import InvalidCommand
from agreements.domain.lookalike import SPACES, comparison_key, visible

from .test_aggregate import agreement, refused, run  # noqa: F401  (the fixture and helpers)

ZWSP = "\u200b"
LOOKALIKES = [
    "UN Secr" + ZWSP + "etariat",          # a zero-width space inside
    "UN S\u0435cretariat",                  # Cyrillic е for e
    "\u0055\u039d Secretariat",             # Greek Ν for N
    "ＵＮ Ｓｅｃｒｅｔａｒｉａｔ",            # full-width letters
    "UN\u00a0Secretariat\u200d",            # a no-break space and a zero-width joiner
    "UN Secre\u00adtariat",                 # a soft hyphen
]


@pytest.mark.parametrize("name", LOOKALIKES)
def test_a_look_alike_name_has_the_key_of_the_name_it_imitates(name):
    assert comparison_key(name) == comparison_key("UN Secretariat")


def test_names_that_differ_to_a_reader_keep_different_keys():
    assert comparison_key("Türkiye") != comparison_key("Turkiye")
    assert comparison_key("League of Nations") != comparison_key("UN Secretariat")


@pytest.mark.parametrize("name", LOOKALIKES)
def test_a_second_registration_with_a_look_alike_body_is_refused(agreement, name):
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011", registering_body="UN Secretariat")
    assert refused(agreement, "RecordRegistration", registration_number="I-2", date="2012",
                   registering_body=name).rule == "already_registered"


@pytest.mark.parametrize("name", ["Government of the Unit\u0435d Kingdom", "Government of the United" + ZWSP + " Kingdom"])
def test_a_look_alike_depositary_is_refused_as_named_already(agreement, name):
    run(agreement, "NameDepositary", depositary="Government of the United Kingdom")
    assert refused(agreement, "NameDepositary", depositary=name).rule == "duplicate_depositary"


@pytest.mark.parametrize("title", [ZWSP, ZWSP * 3, " \u200d\u2060\ufeff ", "\u3164", "\u00ad"])
def test_a_title_of_only_invisible_characters_is_refused_as_blank(title):
    assert not visible(title)
    with pytest.raises(InvalidCommand) as err:
        parse_command("DraftAgreement", {"slug": "invisible", "title": title, "kind": "treaty"})
    assert "title" in err.value.errors


def test_a_depositary_of_only_invisible_characters_is_refused_as_blank():
    with pytest.raises(InvalidCommand) as err:
        parse_command("NameDepositary", {"depositary": ZWSP})
    assert "depositary" in err.value.errors


# ECMA-262's WhiteSpace and LineTerminator: what `\s` means in the API schema's patterns.
ECMA_SPACES = "\t\n\x0b\x0c\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"


def test_spaces_spells_out_exactly_what_python_calls_whitespace():
    spelled = re.compile(f"[{SPACES}]")
    every = [chr(code) for code in range(0x110000)]
    assert [c for c in every if spelled.fullmatch(c)] == [c for c in every if c.isspace()]


def test_what_the_schemas_patterns_call_whitespace_is_never_visible():
    assert not [c for c in ECMA_SPACES if visible(c)]


def test_information_separators_alone_are_blank_as_python_reads_whitespace():
    assert not visible("\x1c\x1d\x1e\x1f\x85")
