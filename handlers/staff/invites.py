"""One-time invite links: an administrator picks a team and a role; whoever opens the link joins."""

import secrets
from datetime import datetime

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report.wording import duration, moment
from handlers.texts import t
from storage.models import Invite, MemberRole, Person, Team
from storage.uow import UnitOfWork

ROLES = (MemberRole.HANDLER, MemberRole.LEAD, MemberRole.SUPERVISOR)


def role_name(language: str, role: MemberRole) -> str:
    """处理人 / handler, 负责人 / lead, 督办 / supervisor."""
    return t(language, f"role.{role.value}")


async def team_choice(uow: UnitOfWork, language: str, key: str, action: str) -> Message:
    """The text `key` with one button per team, each pressing "s:<action>:<team id>"."""
    teams = await uow.community.teams()
    if not teams:
        return Message(t(language, "setup.no_teams"))
    rows = tuple((Button(team.name, data=f"s:{action}:{team.id}"),) for team in teams)
    return Message(t(language, key), buttons=rows)


def role_choice(language: str, team: Team) -> Message:
    """The team is chosen: one button per role."""
    buttons = tuple(
        (Button(role_name(language, role), data=f"s:ir:{team.id}:{role.value}"),) for role in ROLES
    )
    return Message(t(language, "setup.invite.choose_role", team=team.name), buttons=buttons)


async def create(
    ctx: Context, uow: UnitOfWork, admin: Person, team: Team, role: MemberRole, now: datetime
) -> Message:
    """Keep a new one-time invite and show its deep link, with when it stops working."""
    assert admin.id is not None and team.id is not None
    valid = ctx.community.invite_expires_after
    invite = Invite(
        token=secrets.token_urlsafe(12),
        team_id=team.id,
        role=role,
        created_by=admin.id,
        created_at=now,
        expires_at=now + valid,
    )
    await uow.members.invite(invite)
    language = admin.language
    text = t(
        language,
        "setup.invite.link",
        team=team.name,
        role=role_name(language, role),
        expires=moment(language, invite.expires_at, ctx.tz),
        valid=duration(language, valid),
        link=ctx.chat.deep_link("i" + invite.token),
    )
    return Message(text)


async def accept(ctx: Context, incoming: Incoming, token: str) -> None:
    """/start i<token>: take the invite once and make the person a member, or say why not."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        message = await _join(ctx, uow, person, token, now)
        await uow.commit()
    await ctx.chat.send(incoming.chat_id, message)


async def _join(
    ctx: Context, uow: UnitOfWork, person: Person, token: str, now: datetime
) -> Message:
    language = person.language
    assert person.id is not None
    invite = await uow.members.use_invite(token, person.id, now)
    if invite is None:
        return Message(_why_not(ctx, language, await uow.members.invite_by_token(token)))
    team = await uow.community.team_by_id(invite.team_id)
    assert team is not None  # an invite points at its team, and teams are never deleted
    new = await uow.members.join(invite.team_id, person.id, invite.role, now)
    key = "setup.invite.joined" if new else "setup.invite.role_changed"
    return Message(t(language, key, team=team.name, role=role_name(language, invite.role)))


def _why_not(ctx: Context, language: str, invite: Invite | None) -> str:
    """Unknown, already used, or expired: said plainly, with whom to ask for a new link."""
    if invite is None:
        return t(language, "setup.invite.unknown")
    if invite.used_at is not None:
        return t(language, "setup.invite.used")
    return t(language, "setup.invite.expired", expired=moment(language, invite.expires_at, ctx.tz))
