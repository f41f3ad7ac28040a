"""The unit of work: one transaction, its repositories, and an explicit commit."""

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories.albums import AlbumRepository
from storage.repositories.cards import CardRepository
from storage.repositories.claims import ClaimRepository
from storage.repositories.community import CommunityRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.corrections import CorrectionRepository
from storage.repositories.members import MemberRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PersonRepository
from storage.repositories.tickets import TicketRepository


class UnitOfWork:
    """`async with uow:` opens a transaction; nothing is kept unless `commit()` is called."""

    tickets: TicketRepository
    outbox: OutboxRepository
    people: PersonRepository
    community: CommunityRepository
    conversations: ConversationRepository
    claims: ClaimRepository
    albums: AlbumRepository
    corrections: CorrectionRepository
    members: MemberRepository
    cards: CardRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open; make a new one per use case")
        session = self._session = self._sessions()
        self.tickets = TicketRepository(session)
        self.outbox = OutboxRepository(session)
        self.people = PersonRepository(session)
        self.community = CommunityRepository(session)
        self.conversations = ConversationRepository(session)
        self.claims = ClaimRepository(session)
        self.albums = AlbumRepository(session)
        self.corrections = CorrectionRepository(session)
        self.members = MemberRepository(session)
        self.cards = CardRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.rollback()  # after a commit there is nothing left to roll back
            await session.close()

    @property
    def session(self) -> AsyncSession:
        """The open session, for queries no repository offers yet."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")
        return self._session

    async def commit(self) -> None:
        """Make everything done in this unit of work permanent, at once."""
        await self.session.commit()
