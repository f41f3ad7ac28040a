"""Re-triage: the ticket relabelled, rerouted and re-clocked; the correction kept and exported."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.corrections import export
from handlers.context import Context
from handlers.retriage import retriage
from storage.models import Ticket
from tests.contract.helpers import T0, open_ticket, seed
from tickets.events import EventKind
from tickets.labels import Category, Route, Urgency
from triage import dataset

HANDLER = 5005  # Telegram id of the handler who re-triages


def _context(db, community) -> Context:
    """What a handler is given; re-triage says nothing in chat, so it gets no chat."""
    tz = ZoneInfo("Asia/Shanghai")
    return Context(None, db.uow, lambda: T0, community, tz)  # type: ignore[arg-type]


async def _team_id(db, code: str) -> int:
    async with db.uow() as uow:
        return (await uow.community.team(code)).id


async def _handler_id(db) -> int:
    async with db.uow() as uow:
        person = await uow.people.seen(HANDLER, "王师傅", T0)
        await uow.commit()
    return person.id


async def _retriage(db, community, ticket: Ticket, urgency, category, minutes: int, by=None):
    """Re-triage a stored ticket in a transaction of its own, committed."""
    async with db.uow() as uow:
        stored = await uow.tickets.get(ticket.id)
        now = T0 + timedelta(minutes=minutes)
        correction = await retriage(
            _context(db, community), uow, stored, urgency, category, by, now
        )
        await uow.commit()
    return correction


async def test_retriage_relabels_reroutes_and_restarts_the_clock(db, community):
    await seed(db.uow(), community)
    property_team, community_team = [await _team_id(db, c) for c in ("jh-property", "grid-workers")]
    ticket = await open_ticket(db.uow(), team_id=property_team)  # a medium repair
    handler = await _handler_id(db)

    correction = await _retriage(
        db, community, ticket, Urgency.EMERGENCY, Category.NEIGHBOR, 10, handler
    )

    assert correction is not None and correction.id is not None
    async with db.uow() as uow:
        stored = await uow.tickets.get(ticket.id)
        assert (stored.urgency, stored.category) == (Urgency.EMERGENCY, Category.NEIGHBOR)
        assert stored.route is Route.COMMUNITY
        assert stored.team_id == community_team
        assert stored.first_response_due == T0 + timedelta(minutes=15)  # was 4h for medium
        assert stored.resolution_due == T0 + timedelta(hours=4)
        now = T0 + timedelta(minutes=10)
        # an emergency now: its 5-minute reminder at T0+10 is owed, so the sweep takes it at once
        assert stored.next_remind_at == now
        assert stored.updated_at == now
        event = (await uow.tickets.history(ticket.id))[-1]
        assert (event.kind, event.actor_id, event.at) == (EventKind.RETRIAGED, handler, now)
        assert event.data == {
            "from": {"urgency": "medium", "category": "repair"},
            "to": {"urgency": "emergency", "category": "neighbor", "route": "community"},
            "team": "grid-workers",
        }
        (kept,) = await uow.corrections.latest_per_ticket()
        assert (kept.ticket_id, kept.text) == (ticket.id, ticket.text)
        assert (kept.urgency, kept.category, kept.route) == (
            Urgency.EMERGENCY,
            Category.NEIGHBOR,
            Route.COMMUNITY,
        )
        assert (kept.was_urgency, kept.was_category) == (Urgency.MEDIUM, Category.REPAIR)
        assert (kept.corrected_by, kept.corrected_at) == (handler, now)
        assert kept.corrected_at.tzinfo is not None


async def test_a_new_urgency_alone_keeps_the_team(db, community):
    await seed(db.uow(), community)
    property_team = await _team_id(db, "jh-property")
    ticket = await open_ticket(db.uow(), team_id=property_team)

    await _retriage(db, community, ticket, Urgency.GENERAL, Category.REPAIR, 5)

    async with db.uow() as uow:
        stored = await uow.tickets.get(ticket.id)
        assert (stored.urgency, stored.route, stored.team_id) == (
            Urgency.GENERAL,
            Route.PROPERTY,
            property_team,
        )
        assert stored.resolution_due == T0 + timedelta(hours=4)  # general: 4h, from the report
        (kept,) = await uow.corrections.latest_per_ticket()
        assert kept.corrected_by is None  # nobody we know, e.g. an admin tool


async def test_a_routing_override_moves_the_ticket_but_the_example_keeps_the_guides_route(
    db, community
):
    await seed(db.uow(), community)
    community = community.model_copy(update={"routing": {Category.ELEVATOR: "grid-workers"}})
    ticket = await open_ticket(db.uow(), team_id=await _team_id(db, "jh-property"))

    await _retriage(db, community, ticket, Urgency.MEDIUM, Category.ELEVATOR, 5)

    async with db.uow() as uow:
        stored = await uow.tickets.get(ticket.id)
        assert stored.route is Route.COMMUNITY  # the team that handles it here
        (kept,) = await uow.corrections.latest_per_ticket()
        assert kept.route is Route.PROPERTY  # what the classifier should learn


async def test_unchanged_labels_change_nothing(db, community):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow())

    correction = await _retriage(db, community, ticket, Urgency.MEDIUM, Category.REPAIR, 10)

    assert correction is None
    async with db.uow() as uow:
        stored = await uow.tickets.get(ticket.id)
        assert stored.updated_at == T0
        assert stored.first_response_due == ticket.first_response_due
        assert [e.kind for e in await uow.tickets.history(ticket.id)] == [EventKind.CREATED]
        assert await uow.corrections.latest_per_ticket() == []


async def test_the_latest_correction_of_each_ticket_by_ticket_id(db, community):
    await seed(db.uow(), community)
    first = await open_ticket(db.uow(), text="电梯卡在三楼了")
    second = await open_ticket(db.uow(), text="楼下有人吵架")
    untouched = await open_ticket(db.uow(), text="路灯不亮")

    await _retriage(db, community, first, Urgency.GENERAL, Category.REPAIR, 1)
    await _retriage(db, community, second, Urgency.MEDIUM, Category.NEIGHBOR, 2)
    await _retriage(db, community, first, Urgency.EMERGENCY, Category.ELEVATOR, 3)

    async with db.uow() as uow:
        latest = await uow.corrections.latest_per_ticket()
        assert [c.ticket_id for c in latest] == [first.id, second.id]
        assert untouched.id not in {c.ticket_id for c in latest}
        last = latest[0]
        assert (last.urgency, last.category) == (Urgency.EMERGENCY, Category.ELEVATOR)
        assert (last.was_urgency, last.was_category) == (Urgency.GENERAL, Category.REPAIR)


async def test_export_writes_training_lines_and_skips_texts_already_known(db, community, tmp_path):
    await seed(db.uow(), community)
    training = tmp_path / "train"
    training.mkdir()
    known = dataset.Example(
        "pp-0001", "楼下有人在吵架", Urgency.MEDIUM, Category.NEIGHBOR, Route.COMMUNITY
    )
    (training / "people.jsonl").write_text(dataset.to_line(known) + "\n", encoding="utf-8")
    out = training / "corrections.jsonl"
    out.write_text("not even JSON\n", encoding="utf-8")  # the last export: replaced, not read
    texts = [
        "12栋地下室一直在渗水，墙角都长霉了",  # new, Chinese
        "The bins behind block 3 have not been emptied for days",  # new, English
        known.text,  # already in the training data
        "  ",  # nothing to learn from
        "12栋地下室一直在渗水，墙角都长霉了",  # the same words as the first ticket
    ]
    tickets = [await open_ticket(db.uow(), text=text) for text in texts]
    for minutes, ticket in enumerate(tickets):
        await _retriage(db, community, ticket, Urgency.DIFFICULT, Category.UTILITIES, minutes)

    assert await export(db.uow(), out, training) == (2, 3)

    raw = out.read_text("utf-8")
    assert raw.endswith("\n") and len(raw.splitlines()) == 2
    assert "地下室" in raw  # Chinese kept readable
    examples = dataset.read(out)
    assert [(e.id, e.lang) for e in examples] == [
        (f"cor-{tickets[0].id}", "zh"),
        (f"cor-{tickets[1].id}", "en"),
    ]
    assert all(e.hard for e in examples)
    assert {(e.urgency, e.category, e.route) for e in examples} == {
        (Urgency.DIFFICULT, Category.UTILITIES, Route.PROPERTY)
    }
    assert len(dataset.read_all(dataset.training_files(training))) == 3  # training takes them

    assert await export(db.uow(), out, training) == (2, 3)  # a fresh snapshot
    assert dataset.read(out) == examples


async def test_nothing_to_export_writes_an_empty_file(db, tmp_path):
    out = tmp_path / "corrections.jsonl"
    assert await export(db.uow(), out, tmp_path / "no-training-yet") == (0, 0)
    assert out.read_text("utf-8") == "" and dataset.read(out) == []
