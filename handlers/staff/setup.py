"""Teams set up in Telegram: /bind a group, /invite people, /team to list and remove members.

Every command and every "s:<action>:<team id>[:...]" button is checked against the database on
each use: the ids in a button are looked up again, never trusted.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.staff import invites
from handlers.staff.auth import is_admin, is_staff, member_of
from handlers.texts import t
from storage.models import MemberRole, Person, Team
from storage.uow import UnitOfWork

Answer = Callable[[Context, UnitOfWork, Person, Incoming], Awaitable[Message]]


def command(answer: Answer) -> Callable[[Context, Incoming], Awaitable[None]]:
    """A command handler: the answer is worked out in one transaction, then sent."""

    async def handle(ctx: Context, incoming: Incoming) -> None:
        async with ctx.uow() as uow:
            person = await seen(uow, incoming, ctx.now())
            message = await answer(ctx, uow, person, incoming)
            await uow.commit()
        reply_to = None if incoming.is_private else incoming.message_id
        await ctx.chat.send(incoming.chat_id, replace(message, reply_to=reply_to))

    return handle


@command
async def bind(ctx: Context, uow: UnitOfWork, person: Person, incoming: Incoming) -> Message:
    """/bind in a team's group: the administrator chooses which team the group serves."""
    if not is_admin(ctx, person):
        return Message(t(person.language, "setup.admins_only"))
    if incoming.is_private:
        return Message(t(person.language, "setup.bind.in_group"))
    return await invites.team_choice(uow, person.language, "setup.bind.choose", "bind")


@command
async def invite(ctx: Context, uow: UnitOfWork, person: Person, incoming: Incoming) -> Message:
    """/invite, in private: the administrator chooses a team, then a role, and gets a one-time
    link (never in a group, where anyone could open it first)."""
    if not is_admin(ctx, person):
        return Message(t(person.language, "setup.admins_only"))
    if not incoming.is_private:
        return Message(t(person.language, "setup.invite.in_private"))
    return await invites.team_choice(uow, person.language, "setup.invite.choose_team", "it")


@command
async def show_team(ctx: Context, uow: UnitOfWork, person: Person, incoming: Incoming) -> Message:
    """/team: the group's team, or in private the person's teams (every team for admins)."""
    language, admin = person.language, is_admin(ctx, person)
    if not await is_staff(ctx, uow, person):
        return Message(t(language, "setup.staff_only"))
    if incoming.is_private:
        if admin:
            return await roster(uow, language, await uow.community.teams(), admin)
        assert person.id is not None
        teams = [mine for mine, _ in await uow.members.teams_of(person.id)]
        return await roster(uow, language, teams, admin)
    chat_team = await uow.members.team_of_chat(incoming.chat_id)
    if chat_team is None:
        return Message(t(language, "setup.team.chat_unbound"))
    if not admin and await member_of(uow, person, chat_team) is None:
        return Message(t(language, "setup.team.not_member", team=chat_team.name))
    return await roster(uow, language, [chat_team], admin)


async def roster(uow: UnitOfWork, language: str, teams: Sequence[Team], admin: bool) -> Message:
    """Each team with its chat and members; for administrators a remove button per member."""
    if not teams:
        return Message(t(language, "setup.no_teams" if admin else "setup.team.none"))
    blocks, rows = [], []
    for team in teams:
        assert team.id is not None
        members = await uow.members.members(team.id)
        lines = [t(language, "setup.team.header", team=team.name)]
        lines.append(t(language, "setup.team.bound" if team.chat_id else "setup.team.unbound"))
        for member, membership in members:
            key = "setup.team.member_username" if member.username else "setup.team.member"
            role = invites.role_name(language, membership.role)
            lines.append(t(language, key, name=member.name, role=role, username=member.username))
        if not members:
            lines.append(t(language, "setup.team.empty"))
        blocks.append("\n".join(lines))
        if admin:
            label = "setup.team.remove"
            rows += [
                (Button(t(language, label, name=m.name, team=team.name), f"s:rm:{team.id}:{m.id}"),)
                for m, _ in members
            ]
    return Message("\n\n".join(blocks), buttons=tuple(rows))


# --- the buttons ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Press:
    """A press of an "s:" button, with what every action needs."""

    ctx: Context
    uow: UnitOfWork
    person: Person
    incoming: Incoming
    now: datetime

    @property
    def language(self) -> str:
        return self.person.language


Outcome = Message | str  # a Message replaces the pressed one; a str is a short notice instead


async def pressed(ctx: Context, incoming: Incoming, value: str) -> None:
    """An "s:" button: only administrators; anyone else gets a refusal and nothing changes."""
    assert incoming.callback_id is not None
    action, *ids = value.split(":")
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        outcome = await _act(Press(ctx, uow, person, incoming, now), action, ids)
        await uow.commit()
    if isinstance(outcome, str):
        await ctx.chat.answer(incoming.callback_id, outcome, alert=True)
        return
    await ctx.chat.answer(incoming.callback_id)
    if incoming.callback_message_id is not None:
        await ctx.chat.edit(incoming.chat_id, incoming.callback_message_id, outcome)


async def _act(press: Press, action: str, ids: list[str]) -> Outcome:
    """Check who pressed and that the team still exists, then do the action."""
    act = ACTIONS.get(action)
    if act is None or not ids:
        return t(press.language, "button.unknown")
    if not is_admin(press.ctx, press.person):
        return t(press.language, "setup.refused")
    team = await press.uow.community.team_by_id(int(ids[0])) if ids[0].isdigit() else None
    if team is None:
        return t(press.language, "setup.gone")
    return await act(press, team, ids[1:])


async def _bind(press: Press, team: Team, rest: list[str]) -> Outcome:
    """s:bind:<team>: this group now serves the team (a chat serves one team)."""
    incoming, language = press.incoming, press.language
    if incoming.is_private:
        return t(language, "setup.bind.in_group")
    previous = await press.uow.members.team_of_chat(incoming.chat_id)
    await press.uow.members.bind(team, incoming.chat_id, forum=incoming.chat_is_forum)
    if previous is not None and previous.id != team.id:
        return Message(t(language, "setup.bind.moved", team=team.name, previous=previous.name))
    return Message(t(language, "setup.bind.done", team=team.name))


async def _invite_team(press: Press, team: Team, rest: list[str]) -> Outcome:
    """s:it:<team>: the team is chosen; now the role."""
    return invites.role_choice(press.language, team)


async def _invite_role(press: Press, team: Team, rest: list[str]) -> Outcome:
    """s:ir:<team>:<role>: make the one-time link."""
    role = next((r for r in invites.ROLES if rest == [r.value]), None)
    if role is None:
        return t(press.language, "setup.gone")
    return await invites.create(press.ctx, press.uow, press.person, team, role, press.now)


async def _member(press: Press, team: Team, rest: list[str]) -> tuple[Person, MemberRole] | str:
    """The member a remove button names, if they still are one; else why not."""
    assert team.id is not None
    person = await press.uow.people.get(int(rest[0])) if rest and rest[0].isdigit() else None
    if person is None or person.id is None:
        return t(press.language, "setup.gone")
    membership = await press.uow.members.membership(person.id, team.id)
    if membership is None:
        return t(press.language, "setup.team.not_a_member", name=person.name, team=team.name)
    return person, membership.role


async def _remove_ask(press: Press, team: Team, rest: list[str]) -> Outcome:
    """s:rm:<team>:<person>: ask before removing."""
    found = await _member(press, team, rest)
    if isinstance(found, str):
        return found
    (person, role), language = found, press.language
    role_name = invites.role_name(language, role)
    text = t(language, "setup.team.remove_ask", name=person.name, role=role_name, team=team.name)
    yes = Button(t(language, "setup.team.remove_yes"), f"s:rmy:{team.id}:{person.id}")
    no = Button(t(language, "setup.team.remove_no"), f"s:rmn:{team.id}")
    return Message(text, buttons=((yes, no),))


async def _remove(press: Press, team: Team, rest: list[str]) -> Outcome:
    """s:rmy:<team>:<person>: remove them, then show the team as it is now."""
    found = await _member(press, team, rest)
    if isinstance(found, str):
        return found
    person, _ = found
    assert person.id is not None and team.id is not None
    await press.uow.members.leave(team.id, person.id)
    done = t(press.language, "setup.team.removed", name=person.name, team=team.name)
    listing = await roster(press.uow, press.language, [team], admin=True)
    return replace(listing, text=f"{done}\n\n{listing.text}")


async def _remove_cancelled(press: Press, team: Team, rest: list[str]) -> Outcome:
    """s:rmn:<team>: nobody removed; the team as it is."""
    return await roster(press.uow, press.language, [team], admin=True)


ACTIONS: dict[str, Callable[[Press, Team, list[str]], Awaitable[Outcome]]] = {
    "bind": _bind,
    "it": _invite_team,
    "ir": _invite_role,
    "rm": _remove_ask,
    "rmy": _remove,
    "rmn": _remove_cancelled,
}
