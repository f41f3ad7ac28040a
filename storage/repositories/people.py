"""People who talk to the bot, and their places in teams."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Membership, Person


class PersonRepository:
    """Finds people by their Telegram id and keeps their profile current."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        """The person behind a Telegram account, if they have talked to the bot before."""
        return (
            await self.session.exec(select(Person).where(Person.telegram_id == telegram_id))
        ).first()

    async def get(self, person_id: int) -> Person | None:
        """A person by our id."""
        return await self.session.get(Person, person_id)

    async def seen(
        self,
        telegram_id: int,
        name: str,
        now: datetime,
        username: str | None = None,
        language: str | None = None,
    ) -> Person:
        """The person for this account, created on first contact; name and username kept fresh.

        The language is only set on first contact: a choice made with /lang is kept.
        """
        person = await self.by_telegram_id(telegram_id)
        if person is None:
            person = Person(telegram_id=telegram_id, name=name, username=username, created_at=now)
            if language:
                person.language = language
            self.session.add(person)
        else:
            person.name, person.username = name, username
        await self.session.flush()
        return person

    async def remember_place(
        self, person: Person, compound_id: int, building_id: int | None, unit: str | None
    ) -> None:
        """Keep the place of this report, to offer it again with the next one."""
        person.compound_id, person.building_id, person.unit = compound_id, building_id, unit
        self.session.add(person)
        await self.session.flush()

    async def memberships(self, person_id: int) -> Sequence[Membership]:
        """The teams a person belongs to, with their role in each."""
        query = select(Membership).where(Membership.person_id == person_id)
        return (await self.session.exec(query)).all()
