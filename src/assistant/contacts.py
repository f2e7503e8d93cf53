"""Duty contacts and escalation: which numbers to show, in which order."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.ingest import ALL_AREAS, OFFICE_HOURS, Contact

EMERGENCY_ID = "emergency"


class UnknownArea(ValueError):
    """An area was asked for that no bulletin lists."""


def emergency_contact(number: str) -> Contact:
    """The emergency entry (999 by default; the number comes from settings)."""
    return Contact(ALL_AREAS, EMERGENCY_ID, number, None, "A child in immediate danger")


def area_ids(contacts: Sequence[Contact]) -> list[str]:
    """The ids of the areas that have their own duty team."""
    return [c.area_id for c in contacts if c.when == OFFICE_HOURS]


def check_area(contacts: Sequence[Contact], area: str | None) -> str | None:
    """The area id, normalised, or UnknownArea listing the areas there are."""
    if area is None or not area.strip():
        return None
    wanted = area.strip().lower().replace(" ", "-")
    known = area_ids(contacts)
    if wanted not in known:
        raise UnknownArea(f"unknown area {area.strip()[:40]!r}; choose one of: {', '.join(known)}")
    return wanted


def escalation(contacts: Sequence[Contact], emergency: Contact, area: str | None = None,
               urgent: bool = False) -> list[Contact]:
    """Contacts in the order to show them: 999 first when urgent, the chosen area's team before others."""
    teams = sorted(
        (c for c in contacts if c.area_id != EMERGENCY_ID),
        key=lambda c: (c.area_id != area, c.when != OFFICE_HOURS),
    )
    if urgent:
        return [emergency, *teams]
    return [*teams, emergency]
