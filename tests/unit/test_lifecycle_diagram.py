"""The state diagram in docs/lifecycle.md draws exactly the legal moves of tickets/lifecycle.py."""

import re

from tests.conftest import ROOT
from tickets.lifecycle import TRANSITIONS, Action, Status

ARROW = re.compile(r"^\s+(\w+) --> (\w+): (\w+)\s*$")


def drawn() -> set[tuple[Status, Status, Action]]:
    """Every arrow between two states in the diagram, as (from, to, action)."""
    text = (ROOT / "docs" / "lifecycle.md").read_text("utf-8")
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    return {
        (Status(m[1]), Status(m[2]), Action(m[3]))
        for line in diagram.splitlines()
        if (m := ARROW.match(line))
    }


def test_the_diagram_draws_every_legal_move_and_nothing_else():
    legal = {
        (source, target, action)
        for action, (sources, target) in TRANSITIONS.items()
        for source in sources
    }
    assert drawn() == legal


def test_final_states_lead_nowhere_in_the_diagram():
    finals = {Status.CLOSED, Status.CANCELLED, Status.REJECTED}
    assert not {(a, b) for a, b, _ in drawn() if a in finals} - {(Status.CLOSED, Status.REOPENED)}
