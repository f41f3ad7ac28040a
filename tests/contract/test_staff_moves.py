"""The handlers' side of tickets, through the real use cases on SQLite and PostgreSQL: filing and
routing, emergency alerts, taking (also two at once), contact with a committed deadline, closing
without a verdict, reopening, cards after a transfer, and escalation."""

import asyncio
from datetime import timedelta

import pytest

from handlers.report.filing import emergency_numbers
from handlers.staff import card, moves, verdict
from handlers.staff.escalate import escalate
from handlers.texts import t
from storage.models import MemberRole
from tests.contract.helpers import T0, postgres_only
from tests.contract.staff_helpers import (
    CHATS,
    RESIDENT,
    TZ,
    act,
    cards,
    community_with,
    events,
    file,
    grid_data,
    kinds,
    make_env,
    outbox,
    person,
    private_key,
    team_data,
    team_id,
    ticket,
)
from tickets.events import EventKind
from tickets.labels import Route, Urgency, ticket_label
from tickets.lifecycle import Status

OWNER, WORKER, HANDLER, OTHER = 7001, 7002, 7003, 7004  # Telegram ids of staff
GAS = "厨房燃气泄漏，闻到很浓的煤气味"  # an emergency, utilities: the property team
LAMP = "5栋一楼的灯坏了好几天了"  # a medium repair: the property team
LEAK = "楼上漏水三个月了，找了物业很多次都没解决"  # a difficult repair: the property team
NOISE = "楼下邻居天天半夜吵闹，说了也不听"  # a neighbour dispute: the community team


def owning(handler: int, buildings: list[str], team: str = "jh-property"):
    def edit(data):
        team_data(data, team)["owners"] = [
            {"handler": handler, "compound": "JH", "buildings": buildings}
        ]

    return edit


# --- filing: owner, card, forum ---------------------------------------------------------------


async def test_a_building_owner_who_is_a_member_gets_the_ticket_at_once(db):
    env = await make_env(db, community_with(owning(OWNER, ["5"])))
    owner = await person(env, OWNER, "王师傅", "jh-property")
    property_team = await team_id(env, "jh-property")

    filed = await file(env, LAMP, building="5")

    stored = await ticket(env, filed.id)
    assert stored.team_id == property_team and stored.route is Route.PROPERTY
    assert stored.assignee_id == owner
    assert stored.status is Status.NEW  # given to them, not yet taken
    log = await events(env, filed.id)
    assert [e.kind for e in log] == [EventKind.CREATED, EventKind.ASSIGNED]
    assert log[1].data.get("to") == owner
    (note,) = [r for r in await outbox(env, OWNER)]
    assert note.dedupe_key == private_key(owner, filed.id, "assigned")
    assert note.ticket_id == filed.id
    assert ticket_label("JH", stored.number) in note.payload["text"]
    assert note.payload.get("buttons"), "the owner's note carries the card's buttons"


async def test_a_building_the_owner_does_not_own_stays_unassigned(db):
    env = await make_env(db, community_with(owning(OWNER, ["5"])))
    await person(env, OWNER, "王师傅", "jh-property")

    filed = await file(env, LAMP, building="1")

    assert (await ticket(env, filed.id)).assignee_id is None
    assert EventKind.ASSIGNED not in await kinds(env, filed.id)
    assert await outbox(env, OWNER) == []


async def test_an_owner_who_is_not_a_member_leaves_the_ticket_unassigned(db):
    env = await make_env(db, community_with(owning(OWNER, ["5"])))
    await person(env, OWNER, "王师傅")  # talked to the bot, never joined the team
    await person(env, OTHER, "李师傅", "grid-workers")  # a member of another team only

    filed = await file(env, LAMP, building="5")

    assert (await ticket(env, filed.id)).assignee_id is None
    assert EventKind.ASSIGNED not in await kinds(env, filed.id)
    assert await outbox(env, OWNER) == []
    assert len(await cards(env, filed.id)) == 1  # the team still gets the card


async def test_an_owner_of_another_team_does_not_get_the_ticket(db):
    env = await make_env(db, community_with(owning(OWNER, ["5"])))
    await person(env, OWNER, "王师傅", "grid-workers")  # a member, but of the other team

    filed = await file(env, LAMP, building="5")

    assert (await ticket(env, filed.id)).assignee_id is None
    assert await outbox(env, OWNER) == []


async def test_an_owner_nobody_has_met_leaves_the_ticket_unassigned(db):
    env = await make_env(db, community_with(owning(OWNER, ["5"])))

    filed = await file(env, LAMP, building="5")

    assert (await ticket(env, filed.id)).assignee_id is None
    assert await kinds(env, filed.id) == [EventKind.CREATED]


async def test_the_grid_worker_owns_the_community_teams_tickets_of_their_grid(db):
    def edit(data):
        grid_data(data, "JH", "JH-G2")["worker"] = WORKER  # buildings 3 and 5

    env = await make_env(db, community_with(edit))
    worker = await person(env, WORKER, "刘网格员", "grid-workers")

    mine = await file(env, NOISE, building="5")
    other_grid = await file(env, NOISE, building="1", reporter=RESIDENT + 1)
    property_request = await file(env, LAMP, building="5", reporter=RESIDENT + 2)

    assert (await ticket(env, mine.id)).assignee_id == worker
    assert (await ticket(env, mine.id)).team_id == await team_id(env, "grid-workers")
    assert (await ticket(env, other_grid.id)).assignee_id is None
    assert (await ticket(env, property_request.id)).assignee_id is None  # not their team's
    keys = [r.dedupe_key for r in await outbox(env, WORKER)]
    assert keys == [private_key(worker, mine.id, "assigned")]


async def test_an_owner_who_never_opened_the_bot_is_assigned_but_not_written_to(db):
    env = await make_env(db, community_with(owning(OWNER, ["5"])))
    owner = await person(env, OWNER, "王师傅", "jh-property", started=False)

    filed = await file(env, LAMP, building="5")

    assert (await ticket(env, filed.id)).assignee_id == owner
    assert await outbox(env, OWNER) == []  # Telegram would refuse: no chat with the bot yet


async def test_filing_posts_the_card_to_the_teams_chat_and_keeps_it(db):
    env = await make_env(db)
    property_team = await team_id(env, "jh-property")

    filed = await file(env, LAMP, building="5")

    (kept,) = await cards(env, filed.id)
    assert (kept.team_id, kept.chat_id, kept.retired_at) == (
        property_team,
        CHATS["jh-property"],
        None,
    )
    rows = await outbox(env, CHATS["jh-property"])
    assert [r.dedupe_key for r in rows] == [kept.outbox_key]
    (posted,) = rows
    assert posted.ticket_id == filed.id
    label = ticket_label("JH", (await ticket(env, filed.id)).number)
    assert label in posted.payload["text"] and LAMP in posted.payload["text"]
    assert "topic" not in posted.payload
    assert "edit_of" not in posted.payload
    datas = [b["data"] for row in posted.payload["buttons"] for b in row]
    assert f"h:take:{filed.id}" in datas
    # nothing went to the other teams' chats
    assert await outbox(env, CHATS["grid-workers"]) == []
    assert await outbox(env, CHATS["tf-property"]) == []


async def test_a_team_without_a_chat_gets_no_card_yet(db):
    env = await make_env(db, community_with(chats=False))

    filed = await file(env, LAMP, building="5")

    assert await cards(env, filed.id) == []
    assert [r.chat_id for r in await outbox(env)] == []


async def test_a_forum_team_gets_a_topic_per_ticket(db):
    env = await make_env(db)
    async with env.uow() as uow:
        team = await uow.community.team("jh-property")
        await uow.members.bind(team, CHATS["jh-property"], forum=True)
        await uow.commit()

    filed = await file(env, LAMP, building="5")

    (posted,) = await outbox(env, CHATS["jh-property"])
    label = ticket_label("JH", (await ticket(env, filed.id)).number)
    assert posted.payload["topic"].startswith(label)
    assert t("zh-CN", "category.repair") in posted.payload["topic"]


# --- emergencies --------------------------------------------------------------------------------


async def test_an_emergency_alerts_the_chat_the_leads_and_the_supervisors_not_the_handlers(db):
    env = await make_env(db)
    lead = await person(env, 7101, "赵经理", "jh-property", MemberRole.LEAD)
    silent_lead = await person(env, 7102, "钱经理", "jh-property", MemberRole.LEAD, started=False)
    team_supervisor = await person(env, 7103, "孙主任", "jh-property", MemberRole.SUPERVISOR)
    handler = await person(env, 7104, "周师傅", "jh-property")
    supervisor = await person(env, 7105, "吴书记", "grid-workers", MemberRole.SUPERVISOR)
    grid_handler = await person(env, 7106, "郑网格员", "grid-workers")
    elsewhere = await person(env, 7107, "冯主任", "tf-property", MemberRole.SUPERVISOR)
    other_lead = await person(env, 7108, "陈经理", "tf-property", MemberRole.LEAD)

    filed = await file(env, GAS, building="5")

    stored = await ticket(env, filed.id)
    assert stored.urgency is Urgency.EMERGENCY
    assert stored.team_id == await team_id(env, "jh-property")
    team_rows = await outbox(env, CHATS["jh-property"])
    (kept,) = await cards(env, filed.id)
    assert team_rows[0].dedupe_key == kept.outbox_key
    alerts = [r for r in team_rows if r.dedupe_key.endswith(":emergency")]
    assert len(alerts) == 1
    assert ticket_label("JH", stored.number) in alerts[0].payload["text"]
    assert alerts[0].payload.get("reply_of") == kept.outbox_key
    private = {r.dedupe_key for r in await outbox(env) if r.chat_id not in CHATS.values()} - {
        r.dedupe_key for r in await outbox(env, RESIDENT)
    }
    assert private == {
        private_key(lead, filed.id, "emergency"),
        private_key(team_supervisor, filed.id, "emergency"),
        private_key(supervisor, filed.id, "emergency"),
    }
    for nobody in (silent_lead, handler, grid_handler, elsewhere, other_lead):
        assert not [k for k in private if k.startswith(f"person:{nobody}:")]


async def test_a_lead_who_also_supervises_is_alerted_once(db):
    env = await make_env(db)
    both = await person(env, 7101, "赵经理", "jh-property", MemberRole.LEAD)
    async with env.uow() as uow:
        team = await uow.community.team("grid-workers")
        await uow.members.join(team.id, both, MemberRole.SUPERVISOR, T0)
        await uow.commit()

    filed = await file(env, GAS, building="5")

    rows = [r for r in await outbox(env, 7101)]
    assert [r.dedupe_key for r in rows] == [private_key(both, filed.id, "emergency")]


async def test_an_ordinary_report_alerts_nobody(db):
    env = await make_env(db)
    await person(env, 7101, "赵经理", "jh-property", MemberRole.LEAD)
    await person(env, 7105, "吴书记", "grid-workers", MemberRole.SUPERVISOR)

    filed = await file(env, LAMP, building="5")

    assert await outbox(env, 7101) == [] and await outbox(env, 7105) == []
    assert not [r for r in await outbox(env) if r.dedupe_key.endswith(":emergency")]
    assert (await ticket(env, filed.id)).urgency is Urgency.MEDIUM


async def test_emergency_numbers_name_the_teams_duty_phone_when_it_has_one(db):
    def edit(data):
        team_data(data, "jh-property")["duty_phone"] = "028-8888 0000"

    env = await make_env(db, community_with(edit))
    filed = await file(env, GAS, building="5")

    text = emergency_numbers(env.ctx, "zh-CN", filed, "jh-property")
    assert text.startswith(t("zh-CN", "emergency.numbers"))
    assert "028-8888 0000" in text and "锦华苑物业服务中心" in text
    assert emergency_numbers(env.ctx, "zh-CN", filed, "grid-workers") == t(
        "zh-CN", "emergency.numbers"
    )
    assert emergency_numbers(env.ctx, "en", filed, None) == t("en", "emergency.numbers")


# --- taking -------------------------------------------------------------------------------------


async def test_a_second_handler_is_told_who_took_the_ticket(db):
    env = await make_env(db)
    first = await person(env, HANDLER, "王师傅", "jh-property")
    second = await person(env, OTHER, "李师傅", "jh-property")
    filed = await file(env, LAMP)

    took = await act(env, filed.id, moves.take, first, env.clock.advance(minutes=5))
    refused = await act(env, filed.id, moves.take, second, env.clock.advance(minutes=1))
    again = await act(env, filed.id, moves.take, first, env.clock.advance(minutes=1))

    assert took == ("staff.took", {})
    assert refused == ("staff.taken_by", {"name": "王师傅"})
    assert again == ("staff.already_yours", {})
    stored = await ticket(env, filed.id)
    assert (stored.status, stored.assignee_id) == (Status.ACKNOWLEDGED, first)
    assert stored.first_responded_at == T0 + timedelta(minutes=5)
    log = await events(env, filed.id)
    assert [e.kind for e in log] == [
        EventKind.CREATED,
        EventKind.ACKNOWLEDGED,
        EventKind.ASSIGNED,
    ]
    assert {e.actor_id for e in log[1:]} == {first}


async def test_a_handler_may_not_take_a_ticket_given_to_the_buildings_owner(db):
    env = await make_env(db, community_with(owning(OWNER, ["5"])))
    owner = await person(env, OWNER, "王师傅", "jh-property")
    other = await person(env, OTHER, "李师傅", "jh-property")
    filed = await file(env, LAMP, building="5")

    refused = await act(env, filed.id, moves.take, other, env.clock.advance(minutes=1))
    took = await act(env, filed.id, moves.take, owner, env.clock.advance(minutes=1))

    assert refused == ("staff.taken_by", {"name": "王师傅"})
    assert took == ("staff.took", {})
    stored = await ticket(env, filed.id)
    assert (stored.status, stored.assignee_id) == (Status.ACKNOWLEDGED, owner)
    assert (await kinds(env, filed.id)).count(EventKind.ASSIGNED) == 1


@postgres_only
async def test_two_handlers_taking_at_once_one_gets_it(db):
    env = await make_env(db)
    first = await person(env, HANDLER, "王师傅", "jh-property")
    second = await person(env, OTHER, "李师傅", "jh-property")
    filed = await file(env, LAMP)
    now = env.clock.advance(minutes=3)

    async def take(person_id: int):
        async with env.uow() as uow:
            found = await uow.tickets.get(filed.id, for_update=True)
            who = await uow.people.get(person_id)
            notice = await moves.take(env.ctx, uow, found, who, now)
            await asyncio.sleep(0.05)  # hold the lock a moment: the other take must wait
            await uow.commit()
            return notice

    results = await asyncio.gather(take(first), take(second))

    assert sorted(n for n, _ in results) == ["staff.taken_by", "staff.took"]
    log = await events(env, filed.id)
    assert [e.kind for e in log].count(EventKind.ACKNOWLEDGED) == 1
    assert [e.kind for e in log].count(EventKind.ASSIGNED) == 1
    stored = await ticket(env, filed.id)
    winner = first if results[0][0] == "staff.took" else second
    assert stored.assignee_id == winner and stored.status is Status.ACKNOWLEDGED
    taken_notes = [r for r in await outbox(env, RESIDENT) if ":taken:" in r.dedupe_key]
    assert len(taken_notes) == 1


# --- contact with a committed deadline ----------------------------------------------------------


async def test_contact_on_a_difficult_ticket_commits_its_deadline(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    filed = await file(env, LEAK)
    assert filed.urgency is Urgency.DIFFICULT
    assert (await ticket(env, filed.id)).resolution_due is None  # waiting for a commitment
    now = env.clock.advance(hours=1)
    deadline = (now + timedelta(days=3)).astimezone(TZ).replace(hour=18, minute=0, second=0)

    notice = await act(env, filed.id, moves.contacted, handler, "上门查看，更换水管", deadline, now)

    assert notice == ("staff.contacted_done", {})
    stored = await ticket(env, filed.id)
    assert stored.committed_deadline == deadline
    assert stored.resolution_due == deadline
    assert stored.first_responded_at == now
    assert stored.status is Status.IN_PROGRESS and stored.assignee_id == handler
    assert stored.next_remind_at is not None and now < stored.next_remind_at <= deadline
    contact = [e for e in await events(env, filed.id) if e.kind == EventKind.CONTACTED]
    assert len(contact) == 1
    assert contact[0].data["measures"] == "上门查看，更换水管"
    assert contact[0].actor_id == handler
    reporter_notes = [r.dedupe_key for r in await outbox(env, RESIDENT)]
    assert f"contacted:{contact[0].id}" in " ".join(reporter_notes)


async def test_a_new_contact_moves_the_committed_deadline(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    filed = await file(env, LEAK)
    first = T0 + timedelta(days=2)
    later = T0 + timedelta(days=5)

    await act(env, filed.id, moves.contacted, handler, "上门", first, env.clock.advance(hours=1))
    await act(env, filed.id, moves.contacted, handler, "延期", later, env.clock.advance(hours=1))

    stored = await ticket(env, filed.id)
    assert stored.committed_deadline == later and stored.resolution_due == later


@pytest.mark.parametrize("offset", [timedelta(0), -timedelta(minutes=1), -timedelta(days=1)])
async def test_a_deadline_not_in_the_future_is_refused(db, offset):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    filed = await file(env, LEAK)
    now = env.clock.advance(hours=1)

    notice = await act(env, filed.id, moves.contacted, handler, "上门", now + offset, now)

    assert notice == ("staff.deadline_past", {})
    stored = await ticket(env, filed.id)
    assert stored.committed_deadline is None and stored.resolution_due is None
    assert (stored.status, stored.assignee_id) == (Status.NEW, None)
    assert await kinds(env, filed.id) == [EventKind.CREATED]


async def test_contact_is_only_for_difficult_tickets(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    filed = await file(env, LAMP)
    before = await ticket(env, filed.id)
    now = env.clock.advance(hours=1)

    notice = await act(
        env, filed.id, moves.contacted, handler, "上门", now + timedelta(days=1), now
    )

    assert notice == ("staff.not_difficult", {})
    stored = await ticket(env, filed.id)
    assert stored.committed_deadline is None
    assert stored.resolution_due == before.resolution_due
    assert (stored.status, stored.assignee_id) == (Status.NEW, None)
    assert await kinds(env, filed.id) == [EventKind.CREATED]


# --- resolved, no verdict: closed without one ----------------------------------------------------


async def _resolved(env, text: str, reporter: int, handler: int, at):
    """A ticket filed, taken and resolved at `at`."""
    env.clock.set(at - timedelta(hours=1))
    filed = await file(env, text, reporter=reporter)
    await act(env, filed.id, moves.take, handler, at - timedelta(minutes=30))
    notice = await act(env, filed.id, moves.resolve, handler, "已更换灯泡", [], at)
    assert notice == ("staff.resolved", {})
    stored = await ticket(env, filed.id)
    assert (stored.status, stored.resolved_at) == (Status.RESOLVED, at)
    return stored


async def test_a_ticket_without_a_verdict_closes_after_the_wait_once(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    wait = env.community.verdict.wait
    assert wait == timedelta(days=3)
    now = T0 + timedelta(days=10)
    old = await _resolved(env, LAMP, RESIDENT, handler, now - wait - timedelta(minutes=1))
    recent = await _resolved(env, "楼道灯不亮", RESIDENT + 1, handler, now - timedelta(days=2))
    env.clock.set(now)

    assert await verdict.close_unrated(env.ctx) == 1

    closed = await ticket(env, old.id)
    assert closed.status is Status.CLOSED
    assert closed.satisfaction is None and closed.closed_at == now
    assert closed.next_remind_at is None
    (event,) = [e for e in await events(env, old.id) if e.kind == EventKind.CLOSED]
    assert event.data == {"rating": None} and event.actor_id is None and event.at == now
    assert EventKind.RATED not in await kinds(env, old.id)
    notes = [r for r in await outbox(env, RESIDENT) if ":closed_unrated:" in r.dedupe_key]
    assert [r.dedupe_key for r in notes] == [
        private_key(closed.reporter_id, old.id, f"closed_unrated:{event.id}")
    ]
    label = ticket_label("JH", closed.number)
    assert notes[0].payload["text"] == t("zh-CN", "verdict.closed_unrated", ticket=label)
    assert (await ticket(env, recent.id)).status is Status.RESOLVED

    env.clock.advance(minutes=1)
    assert await verdict.close_unrated(env.ctx) == 0  # twice: closed once
    assert (await kinds(env, old.id)).count(EventKind.CLOSED) == 1
    assert (await ticket(env, old.id)).closed_at == now
    assert (await ticket(env, recent.id)).status is Status.RESOLVED


async def test_the_wait_is_counted_from_resolving_not_from_reporting(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    resolved_at = T0 + timedelta(days=5)  # filed an hour before: days after T0
    stored = await _resolved(env, LAMP, RESIDENT, handler, resolved_at)
    env.clock.set(resolved_at + timedelta(days=3) - timedelta(minutes=1))

    assert await verdict.close_unrated(env.ctx) == 0
    assert (await ticket(env, stored.id)).status is Status.RESOLVED

    env.clock.set(resolved_at + timedelta(days=3, minutes=1))
    assert await verdict.close_unrated(env.ctx) == 1


# --- reopening ----------------------------------------------------------------------------------


async def test_only_the_reporter_may_reopen_and_only_within_the_window(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    follower = await person(env, 1099, "李大爷")
    resolved_at = T0 + timedelta(hours=2)
    stored = await _resolved(env, LAMP, RESIDENT, handler, resolved_at)
    async with env.uow() as uow:
        assert await uow.tickets.follow(stored.id, follower, resolved_at)
        await uow.commit()
    within = env.community.verdict.reopen_within
    assert within == timedelta(days=7)

    async with env.uow() as uow:
        reporter = await uow.people.get(stored.reporter_id)
        resolved = await uow.tickets.get(stored.id)
        assert not verdict.may_reopen(env.ctx, resolved, reporter, resolved_at)  # not closed yet

    closed_at = env.clock.set(resolved_at + timedelta(days=3, minutes=1))
    assert await verdict.close_unrated(env.ctx) == 1

    async with env.uow() as uow:
        reporter = await uow.people.get(stored.reporter_id)
        fan = await uow.people.get(follower)
        closed = await uow.tickets.get(stored.id)
        assert closed.closed_at == closed_at
        assert verdict.may_reopen(env.ctx, closed, reporter, closed_at + timedelta(minutes=1))
        assert verdict.may_reopen(env.ctx, closed, reporter, closed_at + timedelta(days=6))
        assert verdict.may_reopen(env.ctx, closed, reporter, closed_at + within)
        assert not verdict.may_reopen(
            env.ctx, closed, reporter, closed_at + within + timedelta(minutes=1)
        )
        assert not verdict.may_reopen(env.ctx, closed, reporter, closed_at + timedelta(days=30))
        assert not verdict.may_reopen(env.ctx, closed, fan, closed_at + timedelta(minutes=1))


# --- cards after a transfer ---------------------------------------------------------------------


async def test_after_a_transfer_the_old_card_is_edited_once_and_retired(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    worker = await person(env, WORKER, "刘网格员", "grid-workers")
    property_team, community_team = (
        await team_id(env, "jh-property"),
        await team_id(env, "grid-workers"),
    )
    filed = await file(env, LAMP)
    (old,) = await cards(env, filed.id)
    assert old.team_id == property_team

    when = env.clock.advance(minutes=10)
    notice = await act(env, filed.id, moves.transfer, handler, "属于邻里纠纷", when)

    assert notice == ("staff.transferred", {"team": "锦城社区网格员"})
    stored = await ticket(env, filed.id)
    assert (stored.team_id, stored.route, stored.status) == (
        community_team,
        Route.COMMUNITY,
        Status.NEW,
    )
    old_now, new = await cards(env, filed.id)
    assert old_now.id == old.id and old_now.retired_at == when
    assert (new.team_id, new.chat_id, new.retired_at) == (
        community_team,
        CHATS["grid-workers"],
        None,
    )
    assert new.outbox_key != old.outbox_key
    edits_of_old = [r for r in await outbox(env) if r.payload.get("edit_of") == old.outbox_key]
    assert len(edits_of_old) == 1
    assert edits_of_old[0].chat_id == CHATS["jh-property"]
    assert t("zh-CN", "card.moved", team="锦城社区网格员") in edits_of_old[0].payload["text"]
    assert not edits_of_old[0].payload.get("buttons")  # no buttons on a card that moved on
    new_posts = [
        r for r in await outbox(env, CHATS["grid-workers"]) if r.dedupe_key == new.outbox_key
    ]
    assert len(new_posts) == 1 and "edit_of" not in new_posts[0].payload

    # a later move redraws the new card only
    took = await act(env, filed.id, moves.take, worker, env.clock.advance(minutes=5))
    assert took == ("staff.took", {})
    async with env.uow() as uow:
        current = await uow.tickets.get(filed.id)
        await card.refresh(env.ctx, uow, current, "later", env.clock.advance(minutes=1))
        await uow.commit()

    rows = await outbox(env)
    assert len([r for r in rows if r.payload.get("edit_of") == old.outbox_key]) == 1
    edits_of_new = [r for r in rows if r.payload.get("edit_of") == new.outbox_key]
    assert len(edits_of_new) == 2
    assert all(r.chat_id == CHATS["grid-workers"] for r in edits_of_new)
    assert "刘网格员" in edits_of_new[-1].payload["text"]
    assert (await cards(env, filed.id))[0].retired_at == when  # not stamped again


async def test_a_refresh_without_a_transfer_edits_the_one_card_and_retires_nothing(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    filed = await file(env, LAMP)

    await act(env, filed.id, moves.take, handler, env.clock.advance(minutes=5))

    (only,) = await cards(env, filed.id)
    assert only.retired_at is None
    edits = [r for r in await outbox(env) if r.payload.get("edit_of") == only.outbox_key]
    assert len(edits) == 1 and "王师傅" in edits[0].payload["text"]


# --- escalation ---------------------------------------------------------------------------------


async def test_escalation_climbs_one_rung_per_call_and_stops_at_the_top(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    lead = await person(env, 7101, "赵经理", "jh-property", MemberRole.LEAD)
    plain = await person(env, OTHER, "李师傅", "jh-property")
    supervisor = await person(env, 7105, "吴书记", "grid-workers", MemberRole.SUPERVISOR)
    filed = await file(env, LAMP)
    await act(env, filed.id, moves.take, handler, env.clock.advance(minutes=5))
    ladder = env.community.escalation[Route.PROPERTY]
    assert [s.to.value for s in ladder] == [
        "handler",
        "team_lead",
        "community_supervisor",
        "street_office",
    ]

    levels, escalated = [], []
    for _ in range(len(ladder) + 2):
        now = env.clock.advance(hours=1)
        async with env.uow() as uow:
            found = await uow.tickets.get(filed.id, for_update=True)
            await escalate(env.ctx, uow, found, "超时未处理", None, now)
            await uow.commit()
        levels.append((await ticket(env, filed.id)).escalation_level)
        escalated = [e for e in await events(env, filed.id) if e.kind == EventKind.ESCALATED]
        assert escalated[-1].data["level"] == levels[-1]
        assert escalated[-1].data["reason"] == "超时未处理"

    assert levels == [0, 1, 2, 3, 3, 3]
    assert [e.data["to"] for e in escalated[:4]] == [s.to.value for s in ladder]

    def told(person_id: int) -> set[int]:
        prefix = f"person:{person_id}:ticket:{filed.id}:escalated:"
        return {
            int(r.dedupe_key.removeprefix(prefix)) for r in rows if r.dedupe_key.startswith(prefix)
        }

    rows = await outbox(env)
    assert escalated[0].id in told(handler)  # level 0: the assignee
    assert told(lead) >= {escalated[1].id}  # level 1 of the property ladder: the team's leads
    assert escalated[0].id not in told(lead)
    assert escalated[1].id not in told(handler)
    assert told(plain) == set()  # a plain handler is not told of a climb
    assert escalated[2].id in told(supervisor)  # level 2: the compound's supervisors
    assert escalated[1].id not in told(supervisor)
    team_notes = [
        r.dedupe_key
        for r in await outbox(env, CHATS["jh-property"])
        if ":escalated:" in r.dedupe_key
    ]
    assert len(team_notes) >= 4  # the team sees every climb


async def test_level_one_of_the_property_ladder_tells_every_lead_who_opened_the_bot(db):
    env = await make_env(db)
    lead = await person(env, 7101, "赵经理", "jh-property", MemberRole.LEAD)
    second_lead = await person(env, 7102, "钱经理", "jh-property", MemberRole.LEAD)
    silent_lead = await person(env, 7103, "孙经理", "jh-property", MemberRole.LEAD, started=False)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    other_team_lead = await person(env, 7108, "陈经理", "tf-property", MemberRole.LEAD)
    filed = await file(env, LAMP)
    async with env.uow() as uow:  # level 0 already reached
        found = await uow.tickets.get(filed.id, for_update=True)
        found.escalation_level = 0
        await uow.commit()

    now = env.clock.advance(hours=3)
    async with env.uow() as uow:
        found = await uow.tickets.get(filed.id, for_update=True)
        await escalate(env.ctx, uow, found, "超时未处理", None, now)
        await uow.commit()

    (event,) = [e for e in await events(env, filed.id) if e.kind == EventKind.ESCALATED]
    assert event.data == {"level": 1, "to": "team_lead", "reason": "超时未处理"}
    keys = {r.dedupe_key for r in await outbox(env)}
    what = f"escalated:{event.id}"
    assert private_key(lead, filed.id, what) in keys
    assert private_key(second_lead, filed.id, what) in keys
    for nobody in (silent_lead, handler, other_team_lead):
        assert private_key(nobody, filed.id, what) not in keys
    note = next(r for r in await outbox(env, 7101) if r.dedupe_key.endswith(what))
    assert "超时未处理" in note.payload["text"]
    assert ticket_label("JH", filed.number) in note.payload["text"]


# --- a second round: reopened, resolved again ---------------------------------------------------


def _verdict_requests(rows, ticket_id: int) -> list:
    """Rows to a resident that carry the three verdict buttons of this ticket."""
    return [
        r
        for r in rows
        if any(
            b.get("data") == f"v:s:{ticket_id}" for row in r.payload.get("buttons", []) for b in row
        )
    ]


async def test_a_ticket_resolved_again_after_an_unsatisfied_verdict_asks_the_resident_again(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    first = T0 + timedelta(hours=2)
    stored = await _resolved(env, LAMP, RESIDENT, handler, first)
    assert len(_verdict_requests(await outbox(env, RESIDENT), stored.id)) == 1

    async with env.uow() as uow:  # 不满意, with the reason
        reporter = await uow.people.get(stored.reporter_id)
        await verdict.unsatisfied(
            env.ctx,
            uow,
            reporter,
            stored.id,
            "灯还是不亮",
            env.clock.set(first + timedelta(hours=1)),
        )
        await uow.commit()
    assert (await ticket(env, stored.id)).status is Status.REOPENED
    await act(env, stored.id, moves.take, handler, env.clock.advance(minutes=10))
    second = env.clock.advance(hours=2)
    assert await act(env, stored.id, moves.resolve, handler, "换了整个灯座", [], second) == (
        "staff.resolved",
        {},
    )

    assert (await ticket(env, stored.id)).status is Status.RESOLVED
    asked = _verdict_requests(await outbox(env, RESIDENT), stored.id)
    assert len(asked) == 2, "the second resolution must ask the resident for a verdict again"


async def test_a_reopened_ticket_closed_again_without_a_verdict_tells_the_resident_again(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    first = T0 + timedelta(hours=2)
    stored = await _resolved(env, LAMP, RESIDENT, handler, first)
    closed_at = env.clock.set(first + timedelta(days=3, minutes=1))
    assert await verdict.close_unrated(env.ctx) == 1

    async with env.uow() as uow:  # the resident reopens it from /my within the window
        reporter = await uow.people.get(stored.reporter_id)
        locked = await uow.tickets.get(stored.id, for_update=True)
        now = env.clock.set(closed_at + timedelta(days=1))
        assert verdict.may_reopen(env.ctx, locked, reporter, now)
        await verdict.reopen(env.ctx, uow, locked, reporter, "", now)
        await uow.commit()
    await act(env, stored.id, moves.take, handler, env.clock.advance(minutes=10))
    again = env.clock.advance(hours=1)
    await act(env, stored.id, moves.resolve, handler, "再次修好", [], again)
    env.clock.set(again + timedelta(days=3, minutes=1))
    assert await verdict.close_unrated(env.ctx) == 1

    assert (await kinds(env, stored.id)).count(EventKind.CLOSED) == 2
    notes = [r for r in await outbox(env, RESIDENT) if ":closed_unrated:" in r.dedupe_key]
    assert len(notes) == 2, "the resident must hear of the second closing too"


async def _reopened_by_the_resident(env, handler: int):
    """A ticket taken, resolved, then judged 不满意 (so reopened); the times of each step."""
    resolved_at = T0 + timedelta(hours=2)
    stored = await _resolved(env, LAMP, RESIDENT, handler, resolved_at)
    async with env.uow() as uow:
        reporter = await uow.people.get(stored.reporter_id)
        await verdict.unsatisfied(
            env.ctx,
            uow,
            reporter,
            stored.id,
            "灯还是不亮",
            env.clock.set(resolved_at + timedelta(hours=1)),
        )
        await uow.commit()
    assert (await ticket(env, stored.id)).status is Status.REOPENED
    return stored


async def test_taking_a_reopened_ticket_redraws_its_card(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    stored = await _reopened_by_the_resident(env, handler)
    (only,) = await cards(env, stored.id)

    again = env.clock.advance(minutes=10)
    assert await act(env, stored.id, moves.take, handler, again) == ("staff.took", {})

    assert (await ticket(env, stored.id)).status is Status.ACKNOWLEDGED
    edits = [r for r in await outbox(env) if r.payload.get("edit_of") == only.outbox_key]
    latest = max(edits, key=lambda r: r.id)
    assert latest.created_at == again, "the card was not redrawn after the second take"
    assert t("zh-CN", "card.status.acknowledged") in latest.payload["text"]


async def test_the_resident_hears_that_a_reopened_ticket_is_taken_again(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    stored = await _reopened_by_the_resident(env, handler)

    await act(env, stored.id, moves.take, handler, env.clock.advance(minutes=10))

    taken = [r for r in await outbox(env, RESIDENT) if ":taken:" in r.dedupe_key]
    assert len(taken) == 2, "the second take is not relayed to the resident"
