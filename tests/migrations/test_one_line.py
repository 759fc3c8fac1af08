"""Each app's migrations are one line of history: a newcomer reads one story, a new database migrates in one pass."""

import pytest
from django.db.migrations.loader import MigrationLoader

PROJECT_APPS = ("agreements", "sources", "eventstore", "outbox")


@pytest.fixture(scope="module")
def graph():
    return MigrationLoader(None, ignore_no_migrations=True).graph  # files only, no database


@pytest.mark.parametrize("app", PROJECT_APPS)
def test_each_app_has_one_leaf_and_no_merge_migration(graph, app):
    nodes = [key for key in graph.nodes if key[0] == app]
    assert len([key for key in graph.leaf_nodes() if key[0] == app]) == 1
    for key in nodes:
        same_app_parents = [parent for parent in graph.node_map[key].parents if parent.key[0] == app]
        assert len(same_app_parents) <= 1, f"{key} joins {len(same_app_parents)} branches"
        same_app_children = [child for child in graph.node_map[key].children if child.key[0] == app]
        assert len(same_app_children) <= 1, f"{key} has {len(same_app_children)} children: parallel branches"


@pytest.mark.parametrize("app", PROJECT_APPS)
def test_migrations_are_numbered_in_the_order_they_run(graph, app):
    names = [name for key_app, name in graph.forwards_plan(
        next(key for key in graph.leaf_nodes() if key[0] == app)) if key_app == app]
    assert [int(name[:4]) for name in names] == list(range(1, len(names) + 1))
