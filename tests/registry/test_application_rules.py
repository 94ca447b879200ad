"""The merchant applications' pure rules (SPEC 2.5): the state machine, every pair of statuses,
and the tracking numbers' shape."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from registry import rules
from registry.choices import APPLICATION_STATUS_LABELS, ApplicationStatus

STATUSES = (
    rules.APPLICATION_SUBMITTED,
    rules.APPLICATION_IN_REVIEW,
    rules.APPLICATION_APPROVED,
    rules.APPLICATION_REJECTED,
    rules.APPLICATION_CHANGES_REQUESTED,
)
# SPEC 2.5 and the services' docstrings, written out by hand to check the table against.
ALLOWED = {
    ("submitted", "in_review"),
    ("in_review", "approved"),
    ("in_review", "rejected"),
    ("in_review", "changes_requested"),
    ("changes_requested", "submitted"),
    ("changes_requested", "rejected"),
}


def test_the_choices_label_exactly_the_rules_statuses():
    assert tuple(ApplicationStatus.values) == STATUSES
    assert set(rules.APPLICATION_TRANSITIONS) == set(STATUSES)


def test_open_and_decided_statuses_split_the_statuses_between_them():
    open_, decided = rules.APPLICATION_OPEN_STATUSES, rules.APPLICATION_DECIDED_STATUSES
    assert set(open_) | set(decided) == set(STATUSES)
    assert not set(open_) & set(decided)
    assert all(rules.application_allowed_moves(s) == () for s in decided)


@pytest.mark.parametrize(("current", "to"), list(itertools.product(STATUSES, repeat=2)))
def test_every_move_is_allowed_or_refused_as_the_spec_says(current, to):
    if (current, to) in ALLOWED:
        rules.application_transition_check(current, to, APPLICATION_STATUS_LABELS)
        assert to in rules.application_allowed_moves(current)
        return
    with pytest.raises(ValidationError) as caught:
        rules.application_transition_check(current, to, APPLICATION_STATUS_LABELS)
    assert caught.value.code == "invalid_transition"
    assert to not in rules.application_allowed_moves(current)


def test_a_refusal_names_the_statuses_and_the_moves_allowed_by_their_labels():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        rules.application_transition_check(
            "changes_requested", "approved", APPLICATION_STATUS_LABELS
        )
    assert caught.value.messages == [
        "An application that is Changes requested cannot become Approved; it can become: "
        "Submitted, Rejected."
    ]


def test_a_refusal_after_the_decision_says_nothing_is_left_and_without_labels_uses_values():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        rules.application_transition_check("approved", "rejected")
    assert caught.value.messages == [
        "An application that is approved cannot become rejected; it can become: -."
    ]


def test_an_unknown_status_allows_no_move():
    assert rules.application_allowed_moves("lost") == ()
    with pytest.raises(ValidationError):
        rules.application_transition_check("lost", "submitted")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ABCD2345EFGH", "ABCD2345EFGH"),
        ("abcd-2345-efgh", "ABCD2345EFGH"),
        (" ABCD 2345 EFGH ", "ABCD2345EFGH"),
        ("ABCD2345EFG", ""),  # eleven characters
        ("ABCD2345EFGHJ", ""),  # thirteen
        ("ABCD2345EFG0", ""),  # 0 is left out of the alphabet, as are O, 1 and I
        ("ABCD2345EFGO", ""),
        ("ABCD2345EFG1", ""),
        ("ABCD2345EFGI", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_a_typed_tracking_number_is_read_as_the_stored_one_or_not_at_all(typed, stored):
    assert rules.tracking_number_normalize(typed) == stored


def test_a_tracking_number_is_shown_in_groups_of_four():
    assert rules.tracking_number_format("ABCD2345EFGH") == "ABCD-2345-EFGH"
    assert set(rules.TRACKING_ALPHABET).isdisjoint("01OI")
    assert len(rules.TRACKING_ALPHABET) == 32
