"""One search interface (agreements.queries.search), two backends in modules of their own (search_postgresql,
search_plain), chosen once from the configured database."""

import inspect
from pathlib import Path

import pytest
from django.db import connection

from agreements.queries import search, search_plain, search_postgresql

INTERFACE = [name for name, member in vars(search.SearchBackend).items()
             if inspect.isfunction(member) and not name.startswith("_")]
QUERIES = Path(search.__file__).parent


@pytest.mark.parametrize("module", [search_postgresql, search_plain])
@pytest.mark.parametrize("name", INTERFACE)
def test_each_backend_answers_every_function_of_the_interface_with_its_parameters(module, name):
    wanted = [p for p in inspect.signature(getattr(search.SearchBackend, name)).parameters if p != "self"]
    assert list(inspect.signature(getattr(module, name)).parameters) == wanted


def test_the_interface_names_the_five_functions_a_backend_answers():
    assert sorted(INTERFACE) == ["few_matching", "matches", "nearest_key", "ranked_agreements", "ranked_clauses"]


def test_the_backend_is_the_configured_databases():
    expected = search_postgresql if connection.vendor == "postgresql" else search_plain
    assert search.backend() is expected


def test_the_backend_is_chosen_once_and_kept():
    search.backend()
    search.backend()
    assert search.backend.cache_info().currsize == 1


def test_no_search_module_asks_which_database_it_runs_on_but_the_choice():
    asking = {path.name: path.read_text().count("connection.vendor") for path in QUERIES.glob("search*.py")}
    assert asking == {"search.py": 1, "search_words.py": 0, "search_plain.py": 0, "search_postgresql.py": 0}


def test_a_backend_never_imports_the_interface_that_chooses_it():
    for module in (search_postgresql, search_plain):
        source = Path(module.__file__).read_text()
        assert "from .search import" not in source and "from . import search\n" not in source


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("index", ["agreement_document_idx", "clause_version_document_idx", "search_word_trigram_idx",
                                   "agreement_slug_trgm_idx"])
def test_postgresql_search_indexes_take_new_rows_at_once_so_no_search_reads_a_pending_list(index):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [index])
        (options,) = cursor.fetchone()
    assert "fastupdate=off" in (options or [])
