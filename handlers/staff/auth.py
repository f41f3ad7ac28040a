"""Who may do what: every staff command and button is checked here, against the database."""

from handlers.context import Context
from storage.models import Membership, Person, Team, Ticket
from storage.uow import UnitOfWork


def is_admin(ctx: Context, person: Person) -> bool:
    """An administrator named in BOT_ADMINS: binds chats, invites and removes people."""
    return person.telegram_id in ctx.admins


async def member_of(uow: UnitOfWork, person: Person, team: Team | None) -> Membership | None:
    """The person's membership of `team`, if any."""
    if team is None or team.id is None or person.id is None:
        return None
    return await uow.members.membership(person.id, team.id)


async def may_handle(ctx: Context, uow: UnitOfWork, person: Person, ticket: Ticket) -> bool:
    """A member of the ticket's team, a supervisor of its compound, or an administrator."""
    if is_admin(ctx, person):
        return True
    if person.id is None:
        return False
    if ticket.team_id is not None and await uow.members.membership(person.id, ticket.team_id):
        return True
    return await uow.members.supervises(person.id, ticket.compound_id)


async def is_staff(ctx: Context, uow: UnitOfWork, person: Person) -> bool:
    """Whether the person belongs to any team, or is an administrator (staff commands)."""
    if is_admin(ctx, person):
        return True
    return person.id is not None and bool(await uow.members.teams_of(person.id))
