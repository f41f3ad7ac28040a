"""Teams' members, their one-time invites, and the chats teams are bound to."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Invite, MemberRole, Membership, Person, Team, TeamCompound
from storage.repositories._sql import insert_unless_exists

# leads first, then supervisors, then handlers (the roles are stored by value: sort them by rank)
_ROLE_ORDER = case(
    {MemberRole.LEAD.value: 0, MemberRole.SUPERVISOR.value: 1}, value=col(Membership.role), else_=2
)


class MemberRepository:
    """Who belongs to which team, in which role; the caller's unit of work commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def membership(self, person_id: int, team_id: int) -> Membership | None:
        """The person's place in the team, if they have one."""
        query = select(Membership).where(
            Membership.person_id == person_id, Membership.team_id == team_id
        )
        return (await self.session.exec(query)).first()

    async def teams_of(self, person_id: int) -> Sequence[tuple[Team, Membership]]:
        """The teams a person belongs to, with their membership, by team code."""
        query = (
            select(Team, Membership)
            .join(Membership, col(Membership.team_id) == col(Team.id))
            .where(Membership.person_id == person_id)
            .order_by(col(Team.code))
        )
        return (await self.session.exec(query)).all()

    async def supervises(self, person_id: int, compound_id: int) -> bool:
        """Whether the person is a supervisor of a team covering the compound."""
        query = (
            select(Membership.id)
            .join(TeamCompound, col(TeamCompound.team_id) == col(Membership.team_id))
            .where(
                Membership.person_id == person_id,
                Membership.role == MemberRole.SUPERVISOR,
                TeamCompound.compound_id == compound_id,
            )
        )
        return (await self.session.exec(query)).first() is not None

    async def members(self, team_id: int) -> Sequence[tuple[Person, Membership]]:
        """A team's members with their roles: leads and supervisors first, then by name."""
        query = (
            select(Person, Membership)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(Membership.team_id == team_id)
            .order_by(_ROLE_ORDER, col(Person.name), col(Person.id))
        )
        return (await self.session.exec(query)).all()

    async def with_role(self, team_id: int, roles: frozenset[MemberRole]) -> Sequence[Person]:
        """The team's members in any of `roles` (to alert leads and supervisors)."""
        query = (
            select(Person)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(Membership.team_id == team_id, col(Membership.role).in_(roles))
            .order_by(col(Person.id))
        )
        return (await self.session.exec(query)).all()

    async def supervisors_of_compound(self, compound_id: int) -> Sequence[Person]:
        """Supervisors of any team covering the compound."""
        query = (
            select(Person)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .join(TeamCompound, col(TeamCompound.team_id) == col(Membership.team_id))
            .where(
                Membership.role == MemberRole.SUPERVISOR, TeamCompound.compound_id == compound_id
            )
            .distinct()
            .order_by(col(Person.id))
        )
        return (await self.session.exec(query)).all()

    async def join(self, team_id: int, person_id: int, role: MemberRole, now: datetime) -> bool:
        """Make the person a member; an existing member takes the new role. True if new."""
        values = {"team_id": team_id, "person_id": person_id, "role": role, "created_at": now}
        added = await insert_unless_exists(
            self.session, Membership, values, ["team_id", "person_id"]
        )
        if not added:
            await self.session.exec(
                update(Membership)
                .where(col(Membership.team_id) == team_id, col(Membership.person_id) == person_id)
                .values(role=role)
            )
        return added

    async def leave(self, team_id: int, person_id: int) -> bool:
        """Remove the person from the team; False if they were not in it."""
        result = await self.session.exec(
            delete(Membership).where(
                col(Membership.team_id) == team_id, col(Membership.person_id) == person_id
            )
        )
        return result.rowcount > 0

    async def invite(self, invite: Invite) -> Invite:
        """Keep a new invite."""
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def use_invite(self, token: str, person_id: int, now: datetime) -> Invite | None:
        """Take an unused, unexpired invite for this person, once; None if it cannot be used."""
        taken = await self.session.exec(
            update(Invite)
            .where(
                col(Invite.token) == token,
                col(Invite.used_at).is_(None),
                col(Invite.expires_at) > now,
            )
            .values(used_by=person_id, used_at=now)
            .returning(col(Invite.id))
        )
        invite_id = taken.scalar_one_or_none()
        return await self.session.get(Invite, invite_id) if invite_id is not None else None

    async def invite_by_token(self, token: str) -> Invite | None:
        """An invite by its token, used or not (to say why it cannot be used)."""
        return (await self.session.exec(select(Invite).where(Invite.token == token))).first()

    async def bind(self, team: Team, chat_id: int, forum: bool) -> None:
        """Make `chat_id` the team's chat; a chat serves one team, so others let go of it."""
        await self.session.exec(
            update(Team)
            .where(col(Team.chat_id) == chat_id, col(Team.id) != team.id)
            .values(chat_id=None)
        )
        team.chat_id, team.forum = chat_id, forum
        self.session.add(team)
        await self.session.flush()

    async def team_of_chat(self, chat_id: int) -> Team | None:
        """The team whose chat this is."""
        return (await self.session.exec(select(Team).where(Team.chat_id == chat_id))).first()
