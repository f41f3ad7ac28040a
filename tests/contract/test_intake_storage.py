"""Resident intake: "+1" on the same problem, followers, the report limit, places and drafts."""

from datetime import timedelta

from storage.models import Attachment, AttachmentKind
from tests.contract.helpers import T0, open_ticket, seed
from tickets.labels import Category
from tickets.lifecycle import Status

ALICE, BOB, CAROL = 1001, 2002, 3003  # Telegram ids


async def _ids(db, *telegram_ids: int) -> list[int]:
    """Our person ids for these Telegram accounts, created if new."""
    async with db.uow() as uow:
        people = [await uow.people.seen(t, f"resident {t}", T0) for t in telegram_ids]
        await uow.commit()
    return [p.id for p in people]


async def _building_id(db, compound_code: str, code: str) -> int:
    async with db.uow() as uow:
        compound = await uow.community.compound(compound_code)
        return (await uow.community.building(compound.id, code)).id


async def test_same_problem_is_the_newest_open_ticket_of_that_place_and_category(db, community):
    await seed(db.uow(), community)
    alice, bob = await _ids(db, ALICE, BOB)
    b5, b1 = await _building_id(db, "JH", "5"), await _building_id(db, "JH", "1")
    tf8 = await _building_id(db, "TF", "8")

    async def report(text: str, minutes: int, compound: str = "JH", **fields: object) -> None:
        fields.setdefault("building_id", b5)
        now = T0 + timedelta(minutes=minutes)
        await open_ticket(db.uow(), compound, ALICE, now, text, **fields)

    await report("too old", -90)
    await report("older", 0)
    await report("newer", 30)
    await report("closed", 40, status=Status.CLOSED)
    await report("resolved", 41, status=Status.RESOLVED)
    await report("other building", 42, building_id=b1)
    await report("common area", 43, building_id=None)
    await report("other category", 44, category=Category.ELEVATOR)
    await report("other compound", 45, compound="TF", building_id=tf8)
    await open_ticket(db.uow(), "JH", BOB, T0 + timedelta(minutes=50), "bob's own", building_id=b5)

    async with db.uow() as uow:
        jh = (await uow.community.compound("JH")).id
        since = T0 - timedelta(minutes=60)

        async def same(building_id: int | None, person: int, after=since):
            found = await uow.tickets.same_problem(jh, building_id, Category.REPAIR, after, person)
            return found.text if found else None

        assert await same(b5, bob) == "newer"  # not bob's own, nor closed or resolved ones
        assert await same(b5, alice) == "bob's own"
        assert await same(None, bob) == "common area"  # no building on both sides: same place
        assert await same(b5, bob, T0 + timedelta(minutes=31)) is None
        assert await same(b5, bob, T0 + timedelta(minutes=30)) == "newer"  # at `since` counts
        newer = await uow.tickets.same_problem(jh, b5, Category.REPAIR, since, bob)
        assert await uow.tickets.follow(newer.id, bob, T0 + timedelta(minutes=55))
        assert await same(b5, bob) == "older"  # a ticket already followed is not offered again


async def test_a_follower_is_added_once_and_listed_in_follow_order(db, community):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow(), resident_telegram_id=ALICE)
    bob, carol = await _ids(db, BOB, CAROL)
    async with db.uow() as uow:
        assert await uow.tickets.follow(ticket.id, carol, T0 + timedelta(minutes=5))
        assert await uow.tickets.follow(ticket.id, bob, T0 + timedelta(minutes=7))
        assert not await uow.tickets.follow(ticket.id, carol, T0 + timedelta(minutes=9))
        await uow.commit()
    async with db.uow() as uow:  # also across transactions
        assert not await uow.tickets.follow(ticket.id, bob, T0 + timedelta(minutes=10))
        assert await uow.tickets.is_follower(ticket.id, bob)
        assert not await uow.tickets.is_follower(ticket.id, ticket.reporter_id)
        followers = await uow.tickets.followers(ticket.id)
        assert [p.telegram_id for p in followers] == [CAROL, BOB]


async def test_a_residents_tickets_reported_or_followed_open_ones_first(db, community):
    await seed(db.uow(), community)
    (bob,) = await _ids(db, BOB)
    for minutes, status in [(0, Status.NEW), (10, Status.CLOSED), (20, Status.IN_PROGRESS)]:
        now, text = T0 + timedelta(minutes=minutes), f"bob {minutes}"
        await open_ticket(db.uow(), "JH", BOB, now, text, status=status)
    followed = await open_ticket(db.uow(), "JH", ALICE, T0 + timedelta(minutes=5), "followed")
    await open_ticket(db.uow(), resident_telegram_id=ALICE, text="not bob's")
    async with db.uow() as uow:
        await uow.tickets.follow(followed.id, bob, T0 + timedelta(hours=1))
        await uow.commit()
    async with db.uow() as uow:
        mine = await uow.tickets.of_resident(bob)
        assert [t.text for t in mine] == ["bob 20", "followed", "bob 0", "bob 10"]
        first_two = await uow.tickets.of_resident(bob, limit=2)
        assert [t.text for t in first_two] == ["bob 20", "followed"]


async def test_reports_are_counted_per_resident_since_a_moment(db, community):
    await seed(db.uow(), community)
    for hours in (0, 1, 2):
        await open_ticket(db.uow(), resident_telegram_id=ALICE, now=T0 + timedelta(hours=hours))
    await open_ticket(db.uow(), resident_telegram_id=BOB, now=T0 + timedelta(hours=2))
    alice, carol = await _ids(db, ALICE, CAROL)
    async with db.uow() as uow:
        assert await uow.tickets.reported_since(alice, T0) == 3
        assert await uow.tickets.reported_since(alice, T0 + timedelta(hours=1)) == 2
        assert await uow.tickets.reported_since(alice, T0 + timedelta(hours=3)) == 0
        assert await uow.tickets.reported_since(carol, T0) == 0


async def test_a_person_keeps_the_place_of_the_last_report_and_when_they_started(db, community):
    await seed(db.uow(), community)
    b5 = await _building_id(db, "JH", "5")
    async with db.uow() as uow:
        person = await uow.people.seen(ALICE, "张阿姨", T0)
        assert person.compound_id is person.building_id is person.unit is person.started_at is None
        jh = await uow.community.compound("JH")
        await uow.people.remember_place(person, jh.id, b5, "2")
        person.started_at = T0  # the first private message
        await uow.commit()
    async with db.uow() as uow:
        person = await uow.people.seen(ALICE, "张阿姨", T0 + timedelta(days=2))  # seen again
        assert (person.compound_id, person.building_id, person.unit) == (jh.id, b5, "2")
        assert person.started_at == T0
        await uow.people.remember_place(person, jh.id, None, None)  # a common area
        await uow.commit()
    async with db.uow() as uow:
        person = await uow.people.by_telegram_id(ALICE)
        assert (person.compound_id, person.building_id, person.unit) == (jh.id, None, None)


async def test_expired_drafts_are_found_by_step_prefix_oldest_first(db):
    async with db.uow() as uow:
        for user, step, minutes in [
            (1, "report.place", 20),
            (2, "report.text", 5),
            (3, "rate.comment", 0),
            (4, "reports", 0),  # the prefix is a prefix, not a word
            (5, "report.confirm", 90),  # recent
            (6, "report%x", 0),
        ]:
            await uow.conversations.save(user, user, step, {}, T0 + timedelta(minutes=minutes))
        await uow.commit()
    async with db.uow() as uow:
        moment = T0 + timedelta(minutes=60)
        old = await uow.conversations.older_than(moment, "report.")
        assert [(c.user_id, c.step) for c in old] == [(2, "report.text"), (1, "report.place")]
        assert [c.user_id for c in await uow.conversations.older_than(moment, "report.", 1)] == [2]
        assert [c.user_id for c in await uow.conversations.older_than(moment, "report%")] == [6]
        assert await uow.conversations.older_than(T0 + timedelta(minutes=5), "report.") == []


async def test_buildings_teams_and_the_compound_of_a_residents_group(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        jh, tf = await uow.community.compounds()
        tf.residents_chat_id = -1002222
        await uow.commit()
    async with db.uow() as uow:
        assert (await uow.community.compound_of_chat(-1002222)).code == "TF"
        assert await uow.community.compound_of_chat(-1009999) is None
        assert (await uow.community.building(jh.id, "5")).name == "5栋"
        assert (await uow.community.building(tf.id, "8")).name == "8幢"
        assert await uow.community.building(tf.id, "5") is None
        team = await uow.community.team("grid-workers")
        assert (await uow.community.team_by_id(team.id)).code == "grid-workers"
        assert await uow.community.team_by_id(team.id + 100) is None


async def test_an_audio_file_is_kept_by_its_kind(db, community):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow())
    async with db.uow() as uow:
        audio = Attachment(
            ticket_id=ticket.id,
            kind=AttachmentKind.AUDIO,
            file_id="audio-1",
            file_unique_id="a1",
            created_at=T0,
        )
        await uow.tickets.attach(audio)
        await uow.commit()
    async with db.uow() as uow:
        assert [f.kind for f in await uow.tickets.attachments(ticket.id)] == [AttachmentKind.AUDIO]
