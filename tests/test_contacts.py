"""Escalation: which duty numbers come first, and which areas exist."""

from __future__ import annotations

import pytest

from assistant.contacts import UnknownArea, check_area, emergency_contact, escalation


def test_emergency_number_comes_from_the_argument():
    assert emergency_contact("112").phone == "112"


def test_urgent_puts_999_first_then_the_chosen_area(bulletin):
    ordered = escalation(bulletin.contacts, emergency_contact("999"), "rutland", urgent=True)
    assert [c.area_id for c in ordered[:2]] == ["emergency", "rutland"]
    assert ordered[0].phone == "999"


def test_not_urgent_puts_the_chosen_area_first_and_999_last(bulletin):
    ordered = escalation(bulletin.contacts, emergency_contact("999"), "leicester-city")
    assert ordered[0].area_id == "leicester-city"
    assert ordered[-1].area_id == "emergency"
    assert {c.area_id for c in ordered} == {"leicestershire", "rutland", "leicester-city", "out-of-hours", "emergency"}


@pytest.mark.parametrize("given, expected", [("Rutland", "rutland"), ("leicester city", "leicester-city"),
                                             (None, None), ("  ", None)])
def test_areas_are_normalised(bulletin, given, expected):
    assert check_area(bulletin.contacts, given) == expected


def test_unknown_area_lists_the_choices(bulletin):
    with pytest.raises(UnknownArea, match="leicestershire, rutland, leicester-city"):
        check_area(bulletin.contacts, "Narnia")
