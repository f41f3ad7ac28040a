"""The SLA sweep shared by real processes on PostgreSQL: three `python -m bot worker` sweep 2,000
overdue tickets, and the sandbox receives each reminder exactly once; with one worker killed
(SIGKILL) in the middle of a batch, nothing is lost and nothing is doubled.

Each worker claims due tickets 200 at a time with FOR UPDATE SKIP LOCKED and writes the
reminders, the `reminded` events and the next reminder times in that batch's transaction; one
process (the holder of the delivery lock) sends the outbox to the sandbox.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.sweep_support import (
    TEAM_CHAT,
    Fleet,
    Sandbox,
    ScratchDb,
    insert_tickets,
    outbox_state,
    reminded_events,
    scratch_db,
    start_workers,
    still_due,
    worker_settings,
    write_community,
)
from tests.e2e.test_cli import bot
from tests.support import postgres_url, require_postgres

pytestmark = pytest.mark.postgres

TICKETS = 2000
WORKERS = 3
SETTLE = 3.5  # seconds after the last reminder: more sweeps (SWEEP_EVERY=1) that must add none
LIMIT = 300  # seconds from the tickets' insertion to the last reminder at the sandbox, at most
STALL = 45  # seconds without progress (sweeping or sending) that fail the test


@pytest.fixture
def scratch() -> Iterator[ScratchDb]:
    url = postgres_url()
    require_postgres(url)
    with scratch_db(url) as db:
        yield db


@pytest.fixture
def fleet(tmp_path: Path, scratch: ScratchDb) -> Iterator[Fleet]:
    """A migrated database with the community in it, the sandbox, and three workers running
    (one of them the sender); no tickets yet. Every process is stopped afterwards."""
    community = write_community(tmp_path)
    migrated = bot(tmp_path, "migrate", DATABASE_URL=scratch.plain_url)
    assert migrated.returncode == 0, migrated.stderr
    checked = bot(
        tmp_path, "check", DATABASE_URL=scratch.plain_url, COMMUNITY_CONFIG=str(community)
    )
    assert checked.returncode == 0, checked.stderr  # the compounds and teams are in
    fleet = Fleet(Sandbox.start(tmp_path))
    try:
        start_workers(fleet, tmp_path, WORKERS, worker_settings(scratch, fleet.sandbox, community))
        yield fleet
    finally:
        fleet.stop()


def wait_until_all_reminded(fleet: Fleet, db: ScratchDb, started: float) -> float:
    """Wait until the team's chat got a message per ticket and nothing is left to sweep or to
    send; the seconds since `started`. Fails when nothing moves for STALL seconds, or after LIMIT.

    The bound is loose on purpose: delivery sends one message of a chat per round (to keep the
    chat's order), so 2,000 reminders to one group take most of a minute on a small machine.
    """
    seen, moved = None, time.monotonic()
    while True:
        sent, due, outbox = fleet.sandbox.sent_to_team(), still_due(db), outbox_state(db)
        if sent >= TICKETS and due == 0 and outbox["pending"] == 0:
            return time.monotonic() - started
        now = time.monotonic()
        if (sent, due, outbox["reminders"]) != seen:
            seen, moved = (sent, due, outbox["reminders"]), now
        if now - moved > STALL or now - started > LIMIT:
            raise AssertionError(
                f"after {now - started:.0f} s: {sent} messages at the sandbox, {due} tickets still"
                f" due, outbox {outbox}\n{fleet.logs()}"
            )
        time.sleep(0.5)


def assert_each_reminded_exactly_once(fleet: Fleet, db: ScratchDb) -> None:
    """At the sandbox and in the database: one reminder per ticket, none lost, none doubled."""
    reminders = fleet.sandbox.reminders()
    doubled = sorted(number for number, times in reminders.items() if times > 1)
    missing = sorted(set(range(1, TICKETS + 1)) - set(reminders))
    assert not doubled, f"reminded more than once: {doubled[:20]} ({len(doubled)} tickets)"
    assert not missing, f"never reminded: {missing[:20]} ({len(missing)} tickets)"
    assert sorted(reminders) == list(range(1, TICKETS + 1))
    stats = fleet.sandbox.stats()
    assert stats["per_chat"] == {str(TEAM_CHAT): TICKETS}  # and nothing else was sent anywhere
    assert stats["errors"] == {}, stats  # no send was refused
    assert reminded_events(db) == (TICKETS, TICKETS, 1)  # events, tickets, most per ticket
    assert outbox_state(db) == {
        "reminders": TICKETS,
        "sent": TICKETS,
        "failed": 0,
        "pending": 0,
        "other": 0,
    }
    assert still_due(db) == 0


def test_three_workers_send_each_reminder_exactly_once(fleet: Fleet, scratch: ScratchDb):
    started = time.monotonic()
    insert_tickets(scratch, TICKETS)  # one commit: all three see them due at their next sweep
    took = wait_until_all_reminded(fleet, scratch, started)
    time.sleep(SETTLE)

    assert_each_reminded_exactly_once(fleet, scratch)
    claimed = {worker.name: worker.claimed() for worker in fleet.workers}
    print(f"\n{TICKETS} reminders sent in {took:.1f} s; batches claimed: {claimed}")
    # Every ticket was claimed by exactly one committed batch, and none was swept twice.
    assert sum(sum(batches) for batches in claimed.values()) == TICKETS, claimed
    assert sum(1 for batches in claimed.values() if batches) >= 2, (
        f"the sweep was not shared: {claimed}"
    )
    for worker in fleet.workers:
        assert worker.alive(), worker.log()
        assert "Traceback" not in worker.log(), worker.log()


def test_a_worker_killed_mid_sweep_loses_and_doubles_nothing(fleet: Fleet, scratch: ScratchDb):
    # The victim is a worker that does not send. The delivery's one documented duplicate window
    # is a crash between Telegram taking a message and its row being marked sent: killing the
    # sender may double one message by design, which is not what this test is about. Killing a
    # sweeper inside its batch transaction must lose nothing (PostgreSQL rolls the batch back and
    # unlocks its tickets, which the others take) and double nothing.
    [sender] = [worker for worker in fleet.workers if worker.sender]
    sweepers = [worker for worker in fleet.workers if not worker.sender]
    started = time.monotonic()
    insert_tickets(scratch, TICKETS)

    victim = None
    deadline = time.monotonic() + 30
    while victim is None and time.monotonic() < deadline:
        for worker in sweepers:
            # A batch is logged right after it is claimed and committed after its 200 tickets
            # are written: polling every few ms kills the worker inside that transaction.
            if b"sweep: claimed" in worker.log_path.read_bytes():
                worker.popen.kill()  # SIGKILL: no clean-up, no rollback from the process
                victim = worker
                break
        else:
            time.sleep(0.002)
    assert victim is not None, f"no sweeper claimed a batch within 30 s\n{fleet.logs()}"
    assert victim.popen.wait(timeout=10) == -9
    killed_at = time.monotonic() - started

    took = wait_until_all_reminded(fleet, scratch, started)
    time.sleep(SETTLE)

    assert_each_reminded_exactly_once(fleet, scratch)
    survivors = [worker for worker in fleet.workers if worker is not victim]
    claimed = {worker.name: worker.claimed() for worker in survivors}
    print(
        f"\n{victim.name} killed {killed_at:.2f} s after the tickets were inserted, having claimed"
        f" {victim.claimed()}; {sender.name} sends; {TICKETS} reminders sent in {took:.1f} s;"
        f" survivors' batches: {claimed}"
    )
    # The victim really held a batch when it died ...
    assert victim.claimed() and victim.claimed()[0] > 0, victim.log()
    assert "swept " not in victim.log()  # ... and never finished a sweep.
    # ... and that batch was not committed: the survivors' committed batches add up to every
    # ticket, so they swept the victim's tickets again after PostgreSQL rolled its batch back.
    # (Had the victim committed, the survivors would have claimed only TICKETS minus its batch.)
    assert sum(sum(batches) for batches in claimed.values()) == TICKETS, claimed
    for worker in survivors:
        assert worker.alive(), worker.log()
        assert "Traceback" not in worker.log(), worker.log()
