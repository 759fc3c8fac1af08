"""The tree served as C2SP tlog-tiles hash tiles: `/api/v1/log/tile/<level>/<index>[.p/<width>]`, 32-byte hashes of
one level of the tree, 256 to a full tile, immutable and cached as such."""

import hashlib

import pytest
from rest_framework.test import APIClient

from registry.eventstore import chain, merkle, store
from tests.api.conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db
TILE = "/api/v1/log/tile/"


@pytest.fixture
def anon(settings):
    settings.PACTA_API_ANON_RATE = None
    return APIClient()


def leaves() -> list[bytes]:
    """Every event's leaf hash, recomputed here from its record: SHA-256(0x00 || canonical record)."""
    return [hashlib.sha256(b"\x00" + chain.canonical_json(chain.record_of(row))).digest()
            for row in store.stored_rows()]


def hashes(body: bytes) -> list[bytes]:
    assert len(body) % 32 == 0
    return [body[i:i + 32] for i in range(0, len(body), 32)]


def test_a_full_level_0_tile_is_the_first_256_leaf_hashes_in_order(anon):
    assert store.head().position >= 256  # the seeded log
    response = anon.get(TILE + "0/000")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert hashes(response.content) == leaves()[:256]


def test_the_last_partial_tile_holds_the_leaves_past_the_last_full_tile(anon):
    size = store.head().position
    if size % 256 == 0:
        run(STRATEGIC, "EditDetails", summary="a leaf past the last full tile")
        size += 1
    index, width = divmod(size, 256)
    response = anon.get(f"{TILE}0/{index:03d}.p/{width}")
    assert response.status_code == 200
    assert hashes(response.content) == leaves()[index * 256:]


def test_a_level_1_tile_holds_the_roots_of_the_complete_256_leaf_subtrees(anon):
    everything = leaves()
    complete = len(everything) // 256
    response = anon.get(f"{TILE}1/000.p/{complete}")
    assert response.status_code == 200
    assert hashes(response.content) == [merkle.Tree(everything[n * 256:(n + 1) * 256]).root() for n in range(complete)]


def test_the_heads_root_recomputes_from_tiles_alone(anon):
    """A client holding only tiles rebuilds the root: each complete 256-leaf subtree from the level-1 tile, the
    leaves past them from the last level-0 partial tile, joined by RFC 6962's MTH (split at the largest power of
    two below the width)."""
    size = store.head().position
    complete, rest = divmod(size, 256)
    subtrees = hashes(anon.get(f"{TILE}1/000.p/{complete}").content) if complete else []
    tail = hashes(anon.get(f"{TILE}0/{complete:03d}.p/{rest}").content) if rest else []

    def mth(lo: int, hi: int) -> bytes:
        if hi - lo == 256 and lo % 256 == 0 and lo // 256 < complete:
            return subtrees[lo // 256]
        if hi - lo == 1:
            return tail[lo - complete * 256]
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        return hashlib.sha256(b"\x01" + mth(lo, lo + k) + mth(lo + k, hi)).digest()

    assert mth(0, size) == merkle.Tree(leaves()).root()


def test_a_tile_is_served_to_a_client_that_accepts_only_bytes(anon):
    response = anon.get(TILE + "0/000", HTTP_ACCEPT="application/octet-stream")
    assert response.status_code == 200 and len(response.content) == 256 * 32
    assert anon.get(TILE + "0/999", HTTP_ACCEPT="application/octet-stream").status_code == 404


def test_a_tile_is_cached_as_immutable(anon):
    response = anon.get(TILE + "0/000")
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_a_tile_the_tree_does_not_complete_yet_is_a_404(anon):
    size = store.head().position
    assert anon.get(f"{TILE}0/{size // 256 + 1:03d}").status_code == 404
    assert anon.get(f"{TILE}0/{size // 256:03d}.p/{size % 256 + 1}").status_code == 404


@pytest.mark.parametrize("path", ["0/0", "0/x1/000", "0/001/000", "8/000", "0/000.p/0", "0/000.p/256", "0/000.p/07",
                                  "0/000.p/", "a/000", "0/x000"])
def test_a_path_that_is_not_a_tile_is_a_json_error(anon, path):
    response = anon.get(TILE + path)
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith("application/json")
