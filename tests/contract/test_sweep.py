"""The SLA sweep through the real use case, on SQLite and PostgreSQL, with a frozen clock."""

import asyncio
from datetime import datetime, timedelta

from handlers.staff import moves
from handlers.staff.sweep import sweep
from storage.models import MemberRole
from tests.contract.helpers import T0
from tests.contract.staff_helpers import (
    CHATS,
    RESIDENT,
    TZ,
    act,
    community_with,
    file,
    kinds,
    make_env,
    outbox,
    person,
    ticket,
)
from tickets.events import EventKind

HANDLER, LEAD = 2001, 2002


async def test_a_due_ticket_is_reminded_once_with_its_card_and_its_next_look_moves_on(db):
    env = await make_env(db)
    filed = await file(env)  # medium, 09:30: first response due 13:30, half time 11:30
    assert (await ticket(env, filed.id)).next_remind_at == T0 + timedelta(hours=2)

    env.clock.set(T0 + timedelta(hours=1))
    assert (await sweep(env.ctx)).tickets == 0  # nothing due yet: not even looked at

    env.clock.set(T0 + timedelta(hours=2, seconds=5))
    done = await sweep(env.ctx)
    assert (done.tickets, done.reminders, done.escalations) == (1, 1, 0)
    again = await sweep(env.ctx)
    assert again.tickets == 0  # its next look moved on: no second reminder
    [reminder] = [r for r in await outbox(env, CHATS["jh-property"]) if ":remind:" in r.dedupe_key]
    assert "提醒" in reminder.payload["text"] and "还有2小时" in reminder.payload["text"]
    assert any(b["text"] == "接单" for row in reminder.payload["buttons"] for b in row)
    stored = await ticket(env, filed.id)
    assert stored.next_remind_at == T0 + timedelta(hours=3, minutes=30)  # 30 min before
    assert (await kinds(env, filed.id)).count(EventKind.REMINDED) == 1


async def test_a_taken_ticket_is_reminded_privately_and_a_late_one_climbs_to_the_lead(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    await person(env, LEAD, "李经理", "jh-property", MemberRole.LEAD)
    filed = await file(env)
    await act(
        env, filed.id, moves.take, handler, env.clock()
    )  # a response: now the 24 h resolution is due
    env.clock.set(T0 + timedelta(hours=12, seconds=1))  # half of 24 hours
    assert (await sweep(env.ctx)).reminders == 1
    [private] = [r for r in await outbox(env, HANDLER) if ":remind:" in r.dedupe_key]
    assert "办结截止" in private.payload["text"]

    env.clock.set(T0 + timedelta(hours=26, seconds=1))  # due at 09:30 next day, +2 h: the lead
    done = await sweep(env.ctx)
    assert done.escalations == 1
    assert [r for r in await outbox(env, LEAD) if "已上报负责人" in r.payload["text"]]
    told = [r for r in await outbox(env, RESIDENT) if "已上报负责人督促办理" in r.payload["text"]]
    assert len(told) == 1
    stored = await ticket(env, filed.id)
    assert stored.escalation_level == 1 and EventKind.ESCALATED in await kinds(env, filed.id)


async def test_two_sweeps_at_once_remind_each_ticket_once(db):
    env = await make_env(db)
    filed = [await file(env, text=f"{n}栋楼道灯坏了", building=str(n)) for n in (1, 2, 3, 5)]
    env.clock.set(T0 + timedelta(hours=2, seconds=5))
    results = await asyncio.gather(sweep(env.ctx, batch=1), sweep(env.ctx, batch=1))
    assert sum(r.reminders for r in results) == len(filed)
    rows = [r for r in await outbox(env, CHATS["jh-property"]) if ":remind:" in r.dedupe_key]
    assert len(rows) == len(filed)
    for one in filed:
        assert (await kinds(env, one.id)).count(EventKind.REMINDED) == 1


async def test_a_closed_ticket_is_never_swept_again(db):
    env = await make_env(db)
    handler = await person(env, HANDLER, "王师傅", "jh-property")
    filed = await file(env)
    await act(env, filed.id, moves.resolve, handler, "修好了", [], env.clock())
    assert (await ticket(env, filed.id)).next_remind_at is None
    env.clock.set(T0 + timedelta(days=2))
    assert (await sweep(env.ctx)).tickets == 0


async def test_a_team_with_business_hours_has_deadlines_in_its_working_hours(db):
    def office_hours(data):
        team = next(t for t in data["teams"] if t["code"] == "jh-property")
        team["business_hours"] = {"start": "08:30", "end": "17:30"}

    env = await make_env(db, community_with(office_hours))
    friday_evening = datetime(2026, 11, 27, 17, 0, tzinfo=TZ)
    env.clock.set(friday_evening)
    filed = await file(env)
    stored = await ticket(env, filed.id)
    assert stored.first_response_due == datetime(2026, 11, 30, 12, 0, tzinfo=TZ)  # Monday
    # half of the 4 working hours is Monday 10:00 (0.5 h on Friday, 1.5 h on Monday morning)
    assert stored.next_remind_at == datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
    env.clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=TZ))  # Sunday: nobody is reminded
    assert (await sweep(env.ctx)).tickets == 0
