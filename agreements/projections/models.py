"""Read models, written only by the projector (projector.py) in the append transaction.

Record time is `known_from`/`known_to` on each row: the recorded_at of the event that asserted the fact
and of the one that withdrew or corrected it (NULL: still asserted). Valid time is the fact's own date.
Every table can be dropped and rebuilt from the events (rebuild.py).
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy
from django.db.models import Q

BEGINNING = dt.date(1, 1, 1)  # valid_from of a clause whose effective date is not known


class AgreementRecord(models.Model):
    stream_id = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    work_uri = models.CharField(max_length=300, unique=True)
    title = models.CharField(max_length=1000)
    titles = models.JSONField(default=dict)
    kind = models.CharField(max_length=40, db_index=True)
    summary = models.TextField(blank=True, default="")
    place = models.CharField(max_length=1000, blank=True, default="")
    work_date = models.CharField(max_length=100, blank=True, default="")
    work_date_lower = models.DateField(null=True)
    publication = models.CharField(max_length=20, default="draft", db_index=True)
    version = models.PositiveIntegerField(default=0)
    last_position = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Earliest lower bound over the agreement and its parties, for list filters and the timeline.
    signed_lower = models.DateField(null=True)
    in_force_lower = models.DateField(null=True)
    suspended_lower = models.DateField(null=True)
    terminated_lower = models.DateField(null=True)
    earliest_date = models.DateField(null=True, help_text="The earliest date the agreement is known to exist.")
    # The earliest lower bound of a fact that gives a dated status (domain.status.DATED_ACTIONS): before it,
    # or without it, the agreement is a draft unless superseded (queries.status filters drafts through it).
    status_from = models.DateField(null=True)
    # The folded keys of the title, the titles in every language, the summary and the place
    # (agreements.domain.folding): what the search matches, on every database.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        db_table = "pacta_agreement"
        ordering = ["earliest_date", "slug"]
        verbose_name = gettext_lazy("agreement")
        verbose_name_plural = gettext_lazy("agreements")
        permissions = [
            ("publish_agreement", "Can publish agreements"),
            ("edit_agreement", "Can draft and edit agreements through commands"),
        ]
        # Chronological pages of published agreements (timeline, party pages) read one range of this index.
        indexes = [models.Index(fields=["publication", "earliest_date", "slug"], name="agreement_chrono_idx"),
                   models.Index(fields=["status_from"], name="agreement_status_from_idx")]

    def __str__(self):
        return self.title


class AgreementDetailsVersion(models.Model):
    """The agreement's descriptive fields as known over record time."""

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="detail_versions")
    title = models.CharField(max_length=1000)
    titles = models.JSONField(default=dict)
    kind = models.CharField(max_length=40)
    summary = models.TextField(blank=True, default="")
    place = models.CharField(max_length=1000, blank=True, default="")
    work_date = models.CharField(max_length=100, blank=True, default="")
    publication = models.CharField(max_length=20, default="draft")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    position = models.BigIntegerField()

    class Meta:
        db_table = "pacta_agreement_details"
        indexes = [models.Index(fields=["agreement", "known_from"], name="details_known_idx")]


class AgreementParty(models.Model):
    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="party_rows")
    # The agreement's slug again (a slug never changes): a party's agreements in the lists' order are then one
    # range of `party_current_slug_idx`, whether the party has three agreements or a hundred thousand. Without it
    # the planner walked every agreement in slug order to find a rare party's (a full scan for a party with none).
    agreement_slug = models.CharField(max_length=200, default="")
    # The same agreement, joined by that slug: what `queries.agreements.with_party` joins on (no column of its own).
    agreement_by_slug = models.ForeignObject(AgreementRecord, on_delete=models.DO_NOTHING, from_fields=["agreement_slug"],
                                             to_fields=["slug"], related_name="party_rows_by_slug")
    party_code = models.CharField(max_length=32, db_index=True)
    role = models.CharField(max_length=200, blank=True, default="")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()

    class Meta:
        db_table = "pacta_agreement_party"
        indexes = [models.Index(fields=["party_code", "agreement_slug"], condition=models.Q(known_to__isnull=True),
                                name="party_current_slug_idx")]


class LifecycleFact(models.Model):
    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="lifecycle_rows")
    event_id = models.UUIDField()
    action = models.CharField(max_length=40)
    party_code = models.CharField(max_length=32, null=True, blank=True)
    date = models.CharField(max_length=100)
    date_lower = models.DateField(null=True)
    date_upper = models.DateField(null=True)
    # When it takes effect (EDTF; blank: when done), and the details some actions carry (participation.py).
    effective = models.CharField(max_length=100, blank=True, default="")
    effective_lower = models.DateField(null=True)
    predecessor = models.CharField(max_length=32, blank=True, default="")
    territory = models.CharField(max_length=200, blank=True, default="")
    notification = models.CharField(max_length=100, blank=True, default="")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)

    class Meta:
        db_table = "pacta_lifecycle"
        indexes = [
            models.Index(fields=["agreement", "action"], name="lifecycle_action_idx"),
            # The current facts of an action: status filters (queries.status) start from them, so a rare status
            # is found, or found absent, without reading every agreement's facts; a page's status column finds
            # one agreement's facts of an action in it too.
            models.Index(fields=["action", "agreement", "date_lower"], condition=Q(known_to__isnull=True),
                         name="lifecycle_current_action_idx"),
        ]


class Registration(models.Model):
    """The agreement registered with a registering body under a number (UN Secretariat, League of Nations).

    Valid time is the registration's date (EDTF, with its bounds); record time is `known_from`/`known_to`.
    """

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="registration_rows")
    event_id = models.UUIDField()
    registration_number = models.CharField(max_length=100)
    registering_body = models.CharField(max_length=200, blank=True, default="")
    date = models.CharField(max_length=100)
    date_lower = models.DateField(null=True)
    date_upper = models.DateField(null=True)
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)

    class Meta:
        db_table = "pacta_registration"
        indexes = [models.Index(fields=["agreement", "known_from"], name="registration_known_idx")]


class Depositary(models.Model):
    """A depositary of the agreement: a name, and the party's code when it is a party of the registry."""

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="depositary_rows")
    event_id = models.UUIDField()
    depositary = models.CharField(max_length=500)
    party_code = models.CharField(max_length=32, null=True, blank=True)
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)

    class Meta:
        db_table = "pacta_depositary"
        indexes = [models.Index(fields=["agreement", "known_from"], name="depositary_known_idx")]


class ClauseVersion(models.Model):
    """The full state of one clause from `valid_from`, as recorded from `known_from` (bitemporal).

    An as-of read is one index range scan: the row of that clause with the greatest valid_from <= as_of
    among the rows known at known_at. Rows are never rewritten when history grows, so the cost of that
    read does not depend on how many versions the clause has (bench/store.py measures it).
    """

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="clause_versions")
    clause_id = models.UUIDField()
    eid = models.CharField(max_length=200)
    number = models.CharField(max_length=50, blank=True, default="")
    heading = models.CharField(max_length=1000, blank=True, default="")
    text = models.TextField()
    text_kind = models.CharField(max_length=20)
    language = models.CharField(max_length=12, default="en")
    parent_eid = models.CharField(max_length=200, blank=True, default="")
    sort_key = models.PositiveIntegerField(default=0, help_text="Document order of the clause.")
    change = models.CharField(max_length=20)  # added, amended, repealed, renumbered
    repealed = models.BooleanField(default=False)
    amended_by = models.CharField(max_length=200, blank=True, default="")
    effective = models.CharField(max_length=100, blank=True, default="")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, help_text="Start of the next version, as currently known.")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()
    position = models.BigIntegerField()
    # The folded keys of the heading and the text (agreements.domain.folding): what the search matches.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        db_table = "pacta_clause_version"
        indexes = [
            models.Index(fields=["clause_id", "valid_from", "known_from", "position"], name="clause_version_asof_idx"),
            models.Index(
                fields=["clause_id", "valid_from"], name="clause_version_current_idx", condition=Q(known_to__isnull=True)
            ),
            models.Index(fields=["agreement", "eid"], name="clause_version_eid_idx"),
            models.Index(fields=["event_id"], name="clause_version_event_idx"),
        ]


class Relation(models.Model):
    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="relations_out")
    relation = models.CharField(max_length=20)
    target_slug = models.CharField(max_length=200, db_index=True)
    note = models.TextField(blank=True, default="")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()

    class Meta:
        db_table = "pacta_relation"


class Reference(models.Model):
    """A cross-reference from a clause to an agreement or one of its clauses (indexed both ways)."""

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="references_out")
    clause_id = models.UUIDField()
    eid = models.CharField(max_length=200)
    target_slug = models.CharField(max_length=200)
    target_eid = models.CharField(max_length=200, blank=True, default="")
    note = models.TextField(blank=True, default="")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()

    class Meta:
        db_table = "pacta_reference"
        indexes = [
            models.Index(fields=["target_slug", "target_eid"], name="reference_target_idx"),
            models.Index(fields=["agreement", "eid"], name="reference_source_idx"),
        ]


class ObligationRow(models.Model):
    """One party bound by one coded obligation (docs/obligations.md): the dataset's row.

    Valid time is `valid_from` (the coding's `effective`) to `valid_to` (its `until`), NULL for an open end;
    record time is `known_from`/`known_to`, as everywhere.
    """

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="obligation_rows")
    obligation_id = models.UUIDField()
    clause_id = models.UUIDField()
    eid = models.CharField(max_length=200)
    party_code = models.CharField(max_length=32)
    obligation = models.CharField(max_length=40)
    modality = models.CharField(max_length=20)
    conditions = models.JSONField(default=list)
    towards = models.JSONField(default=list)
    adversary = models.CharField(max_length=1000, blank=True, default="")
    effective = models.CharField(max_length=100, blank=True, default="")
    until = models.CharField(max_length=100, blank=True, default="")
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)
    note = models.TextField(blank=True, default="")
    # agreement slug / eId / obligation / party / id: the dataset's and the API's stable order.
    key = models.CharField(max_length=600)
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()

    class Meta:
        db_table = "pacta_obligation"
        indexes = [
            models.Index(fields=["key"], name="obligation_key_idx"),
            models.Index(fields=["party_code", "obligation"], name="obligation_party_idx"),
            models.Index(fields=["obligation_id"], name="obligation_id_idx"),
        ]


class Citation(models.Model):
    """A source backing a fact of an agreement (`supports`: a citation subject, domain/vocabulary.py)."""

    citation_id = models.UUIDField()
    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="citations")
    # The source as this instance knows it; None where the key names no source here (a copy that lacks that
    # reference data, or a citation that named another instance's id): such citations are not shown.
    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="citations", null=True)
    source_key = models.CharField(max_length=100, blank=True, default="", help_text="The key the event names.")
    locator = models.CharField(max_length=500, blank=True, default="")
    quote = models.TextField(blank=True, default="")
    supports = models.CharField(max_length=500, blank=True, default="")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()

    class Meta:
        db_table = "pacta_citation"
        indexes = [models.Index(fields=["agreement", "supports"], name="citation_subject_idx")]

    def __str__(self):
        return f"{self.source_key} {self.locator}"


class StatementVersion(models.Model):
    """A participant's statement (reservation, declaration, objection...) in one language, as it stands from
    `valid_from` (made, or narrowed by a partial withdrawal) to `valid_to` (withdrawn or narrowed; NULL: open),
    as recorded from `known_from` to `known_to` (bitemporal, like a clause version)."""

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="statement_versions")
    statement_id = models.UUIDField()
    party_code = models.CharField(max_length=32)
    kind = models.CharField(max_length=20)
    text = models.TextField()
    language = models.CharField(max_length=12, default="en")
    eids = models.JSONField(default=list)
    made_at = models.CharField(max_length=20, blank=True, default="")
    date = models.CharField(max_length=100)  # made on (EDTF)
    withdrawn = models.CharField(max_length=100, blank=True, default="")  # withdrawn or narrowed on (EDTF)
    narrowed = models.BooleanField(default=False)  # the narrower text a partial withdrawal left
    objects_to = models.UUIDField(null=True)
    opposes_entry_into_force = models.BooleanField(default=False)
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()  # the event whose facts this version states (made, or narrowed)
    ended_by = models.UUIDField(null=True)  # the withdrawal that set valid_to
    position = models.BigIntegerField()

    class Meta:
        db_table = "pacta_statement"
        indexes = [models.Index(fields=["agreement", "known_from"], name="statement_known_idx"),
                   models.Index(fields=["statement_id"], name="statement_id_idx")]


class EntryIntoForceRuleRow(models.Model):
    """The agreement's entry-into-force rule (domain/entry_into_force.py) as recorded over record time."""

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="eif_rules")
    rule = models.JSONField(default=dict)
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)
    event_id = models.UUIDField()

    class Meta:
        db_table = "pacta_eif_rule"


class ParticipationPeriod(models.Model):
    """A participant's status (domain/participation.py) from `valid_from` to `valid_to` (NULL: open), as derived
    from the actions and the rule known from `known_from` to `known_to`: what list filters and party pages
    ("in force for AZE on 1 March 2011") read with one index range, the rule having been applied once."""

    agreement = models.ForeignKey(AgreementRecord, on_delete=models.CASCADE, related_name="participation_periods")
    party_code = models.CharField(max_length=32)
    status = models.CharField(max_length=30)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    how = models.CharField(max_length=20, blank=True, default="")
    known_from = models.DateTimeField()
    known_to = models.DateTimeField(null=True)

    class Meta:
        db_table = "pacta_participation"
        indexes = [models.Index(fields=["party_code", "status", "valid_from"], name="participation_party_idx"),
                   models.Index(fields=["agreement", "known_from"], name="participation_known_idx")]
