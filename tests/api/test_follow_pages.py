"""A copy's pages end where an agreement ends: a new agreement a page cuts is held over to start the next page,
so it is projected whole (in memory) rather than continued event by event; the copy's state is the same."""

from types import SimpleNamespace

from agreements import services
from agreements.domain import commands
from agreements.management.commands.follow import whole_agreements
from agreements.projections.rebuild import projection_hash
from agreements.queries import log

from .test_follow import copy_instance, token  # noqa: F401  (the fixture)


def event(stream, version):
    return SimpleNamespace(stream_id=f"agreement:{stream}", stream_version=version)


def test_a_page_ending_in_a_new_agreement_is_stored_up_to_it():
    page = [event("a", 3), event("a", 4), event("b", 1), event("b", 2)]
    assert whole_agreements(page) == 2


def test_a_page_ending_in_an_agreement_that_continues_from_before_is_stored_whole():
    page = [event("a", 1), event("b", 7), event("b", 8)]
    assert whole_agreements(page) == 3


def test_a_page_holding_one_new_agreement_only_is_stored_whole():
    # An agreement longer than a page cannot be held over: it goes as it comes.
    page = [event("a", 1), event("a", 2), event("a", 3)]
    assert whole_agreements(page) == 3


def test_a_page_ending_in_a_hidden_position_is_stored_whole():
    page = [event("a", 1), log.Placeholder(2, "0" * 64, "1" * 64, b"\0" * 32)]
    assert whole_agreements(page) == 2


def test_a_copy_paging_through_agreements_cut_by_its_pages_projects_the_same_state(live_server, token, tmp_path):  # noqa: F811
    services.handle_bulk([services.NewAgreement(slug, [
        commands.DraftAgreement(slug=slug, title=slug.title(), kind="agreement"),
        commands.AddParty(party="TUR"),
        *[commands.AddClause(eid=f"art_{n}", text=f"Article {n}.", text_kind="official") for n in range(1, 4)],
        commands.AmendClause(eid="art_1", text="Amended.", effective="2011-01-01"),
    ]) for slug in ("paged-one-2010", "paged-two-2010", "paged-three-2010")])
    manage = copy_instance(tmp_path)
    result = manage("follow", live_server.url, "--token", token, "--once", "--page", "4", check=False)
    assert result.returncode == 0, result.stderr
    assert manage("projection_hash").stdout.strip() == f"projection hash: {projection_hash()}"
    assert manage("verify_log").returncode == 0
