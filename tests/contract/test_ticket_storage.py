"""Tickets, numbers, the audit log and attachments behave the same on SQLite and PostgreSQL."""

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlmodel import select

from storage.models import Attachment, AttachmentKind, AttachmentStage, Ticket, TicketEvent
from tests.contract.helpers import T0, open_ticket, postgres_only, seed
from tickets.events import EventKind
from tickets.labels import Urgency, ticket_label
from tickets.lifecycle import Status


async def test_ticket_numbers_count_up_per_compound(db, community):
    await seed(db.uow(), community)
    numbers = [(await open_ticket(db.uow(), code)).number for code in ["JH", "JH", "TF", "JH"]]
    assert numbers == [1, 2, 1, 3]
    assert ticket_label("JH", numbers[-1]) == "JH-0003"


async def test_concurrent_reports_never_share_a_number(db, community):
    await seed(db.uow(), community)
    tickets = await asyncio.gather(*(open_ticket(db.uow(), "JH", 2000 + i) for i in range(8)))
    assert sorted(t.number for t in tickets) == list(range(1, 9))


async def test_ticket_round_trip_keeps_every_field_and_aware_utc_times(db, community):
    await seed(db.uow(), community)
    chengdu = timezone(timedelta(hours=8))
    committed = datetime(2026, 11, 25, 18, 0, tzinfo=chengdu)
    ticket = await open_ticket(
        db.uow(), urgency=Urgency.DIFFICULT, committed_deadline=committed, unit="2", room="301"
    )
    async with db.uow() as uow:
        stored = await uow.tickets.by_number(ticket.compound_id, ticket.number)
        assert stored.urgency is Urgency.DIFFICULT
        assert stored.status is Status.NEW
        assert (stored.unit, stored.room, stored.escalation_level) == ("2", "301", -1)
        assert stored.created_at == T0 and stored.created_at.tzinfo is UTC
        assert stored.committed_deadline == committed
        assert stored.committed_deadline.tzinfo is UTC
        assert stored.committed_deadline.hour == 10  # 18:00 in Chengdu is 10:00 UTC
        raw = await (await uow.session.connection()).execute(
            text("SELECT urgency, status FROM ticket")
        )
        assert tuple(raw.one()) == ("difficult", "new")  # stored by value, readable in SQL


async def test_naive_datetimes_are_refused(db, community):
    await seed(db.uow(), community)
    with pytest.raises(StatementError, match="naive datetime"):
        await open_ticket(db.uow(), now=datetime(2026, 11, 22, 9, 30))


async def test_history_and_attachments_come_back_in_order(db, community):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow())
    async with db.uow() as uow:
        ticket = await uow.tickets.get(ticket.id)
        await uow.tickets.record(ticket, EventKind.ACKNOWLEDGED, T0 + timedelta(minutes=20))
        await uow.tickets.record(
            ticket, EventKind.REPLIED, T0 + timedelta(minutes=25), data={"text": "马上来"}
        )
        for n, kind in enumerate([AttachmentKind.PHOTO, AttachmentKind.VOICE]):
            await uow.tickets.attach(
                Attachment(
                    ticket_id=ticket.id,
                    kind=kind,
                    file_id=f"file-{n}",
                    file_unique_id=f"u{n}",
                    created_at=T0,
                )
            )
        await uow.commit()
    async with db.uow() as uow:
        history = await uow.tickets.history(ticket.id)
        assert [e.kind for e in history] == ["created", "acknowledged", "replied"]
        assert history[2].data == {"text": "马上来"}
        files = await uow.tickets.attachments(ticket.id)
        assert [(f.kind, f.stage) for f in files] == [
            (AttachmentKind.PHOTO, AttachmentStage.BEFORE),
            (AttachmentKind.VOICE, AttachmentStage.BEFORE),
        ]


async def test_nothing_is_kept_without_commit(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        compound = await uow.community.compound("JH")
        assert await uow.tickets.next_number(compound.id) == 1
        # leaving without commit: the number, like everything else, is rolled back
    assert (await open_ticket(db.uow())).number == 1


async def test_a_failed_transaction_leaves_no_ticket_without_its_events(db, community):
    await seed(db.uow(), community)
    with pytest.raises(IntegrityError):
        await open_ticket(db.uow(), rating=9)  # violates the rating check after the event
    async with db.uow() as uow:
        assert (await uow.session.exec(select(Ticket))).all() == []
        assert (await uow.session.exec(select(TicketEvent))).all() == []
    assert (await open_ticket(db.uow())).number == 1


async def test_the_audit_log_is_append_only(db, community):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow())
    for statement in [
        "UPDATE ticket_event SET kind = 'closed'",
        f"DELETE FROM ticket_event WHERE ticket_id = {ticket.id}",
    ]:
        async with db.uow() as uow:
            with pytest.raises(DBAPIError, match="append-only"):
                await (await uow.session.connection()).execute(text(statement))
    async with db.uow() as uow:
        assert [e.kind for e in await uow.tickets.history(ticket.id)] == ["created"]


async def test_claim_due_returns_only_due_tickets_earliest_first(db, community):
    await seed(db.uow(), community)
    due_times = [T0 + timedelta(minutes=m) for m in (30, 10, 90)]
    for minutes, at in zip((30, 10, 90), due_times, strict=True):
        await open_ticket(db.uow(), text=f"due in {minutes}", next_remind_at=at)
    await open_ticket(db.uow(), text="nothing to remind")
    async with db.uow() as uow:
        due = await uow.tickets.claim_due(T0 + timedelta(minutes=45))
        assert [t.text for t in due] == ["due in 10", "due in 30"]


@postgres_only
async def test_two_sweeps_never_claim_the_same_ticket(db, community):
    await seed(db.uow(), community)
    for _ in range(6):
        await open_ticket(db.uow(), next_remind_at=T0)
    async with db.uow() as first, db.uow() as second:
        mine = await first.tickets.claim_due(T0 + timedelta(minutes=1), limit=4)
        theirs = await second.tickets.claim_due(T0 + timedelta(minutes=1), limit=4)
        assert len(mine) == 4 and len(theirs) == 2
        assert not {t.id for t in mine} & {t.id for t in theirs}


async def test_a_residents_tickets_newest_first(db, community):
    await seed(db.uow(), community)
    for hours in (0, 2, 1):
        await open_ticket(db.uow(), now=T0 + timedelta(hours=hours), text=f"t{hours}")
    await open_ticket(db.uow(), resident_telegram_id=999, text="someone else's")
    async with db.uow() as uow:
        resident = await uow.people.by_telegram_id(1001)
        mine = await uow.tickets.of_reporter(resident.id)
        assert [t.text for t in mine] == ["t2", "t1", "t0"]
