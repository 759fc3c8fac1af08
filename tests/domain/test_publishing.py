"""Publishing: facts without a citation need a stated reason, recorded in the event; reviewers can send back."""

from .test_aggregate import agreement, refused, run  # noqa: F401  (fixture)


def cite_everything(agreement):
    for subject in agreement.uncited_facts():
        run(agreement, "AttachCitation", source="usc-dornsife-2023", quote=subject,
            supports="" if subject == "the agreement" else subject)


def test_uncited_facts_are_counted_by_subject(agreement):
    assert agreement.uncited_facts() == ["the agreement", "party:TUR", "party:AZE", "art_1", "art_2"]
    run(agreement, "AttachCitation", source="usc-dornsife-2023", quote="q", supports="art_1")
    assert "art_1" not in agreement.uncited_facts()


def test_publishing_uncited_facts_is_refused_with_their_count(agreement):
    run(agreement, "SubmitForReview")
    error = refused(agreement, "Publish")
    assert error.rule == "uncited_facts" and error.field == "uncited_reason"
    assert error.message.startswith("5 facts cite no source")


def test_publishing_uncited_facts_with_a_reason_records_count_and_reason(agreement):
    run(agreement, "SubmitForReview")
    [event] = run(agreement, "Publish", uncited_reason="sources to follow from the archive")
    assert (event.uncited_facts, event.uncited_reason) == (5, "sources to follow from the archive")


def test_publishing_a_fully_cited_agreement_needs_no_reason(agreement):
    cite_everything(agreement)
    run(agreement, "SubmitForReview")
    [event] = run(agreement, "Publish")
    assert (event.uncited_facts, event.uncited_reason) == (0, "")


def test_a_reviewer_returns_an_agreement_in_review_to_draft_with_a_comment(agreement):
    assert refused(agreement, "ReturnToDraft", note="cite art_2").rule == "not_in_review"
    run(agreement, "SubmitForReview")
    assert refused(agreement, "ReturnToDraft", note="  ").rule == "comment_required"
    [event] = run(agreement, "ReturnToDraft", note="cite art_2")
    assert event.type == "ReturnedToDraft" and agreement.state.publication == "draft"
