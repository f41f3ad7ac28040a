"""One sender per database: the process holding a PostgreSQL advisory lock owns the bot's rate.

The lock is session-level, taken with pg_try_advisory_lock on a connection of its own and kept
for as long as the process sends; it is freed by `release()`, or by PostgreSQL itself when that
connection drops or the process dies. Its key is a constant class (Courtyard's delivery) and the
current schema, so bots sharing a database in different schemas do not block each other.
SQLite has a single process by design: there the sender is always the leader.
"""

import asyncio
import logging
import zlib
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

DELIVERY_LOCK = 0x436F7572  # "Cour": the advisory lock class of Courtyard's delivery loop


class Leadership(Protocol):
    """Whether this process may send now."""

    async def acquire(self) -> bool:
        """True while this process is the sender: takes the role if free, checks it if held."""
        ...

    async def release(self) -> None:
        """Give the role up, so another process can send."""
        ...


class SoleSender:
    """The only process there is (SQLite): always the sender."""

    async def acquire(self) -> bool:
        """Always True."""
        return True

    async def release(self) -> None:
        """Nothing to give up."""


def _signed_int4(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


class AdvisoryLock:
    """A session-level PostgreSQL advisory lock held on a dedicated connection."""

    def __init__(self, engine: AsyncEngine, key: int = DELIVERY_LOCK) -> None:
        self._engine = engine
        self._key = key
        self._connection: AsyncConnection | None = None
        self._objid = 0
        self._guard = asyncio.Lock()

    @property
    def held(self) -> bool:
        """Whether this process holds the lock (as far as it last checked)."""
        return self._connection is not None

    async def acquire(self) -> bool:
        """True while we hold the lock: a dropped connection means we lost it, and we try again."""
        async with self._guard:
            if self._connection is not None:
                if await self._alive(self._connection):
                    return True
                log.warning("lost the delivery lock: its database connection dropped")
                await self._discard()
            return await self._try()

    async def release(self) -> None:
        """Unlock and return the connection; if unlocking fails, close it (which unlocks too)."""
        async with self._guard:
            connection = self._connection
            if connection is None:
                return
            try:
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:key, :objid)"),
                    {"key": self._key, "objid": self._objid},
                )
                await connection.commit()
            except (SQLAlchemyError, OSError) as error:
                log.warning(
                    "could not unlock the delivery lock (%s); closing its connection", error
                )
                await self._discard()
                return
            self._connection = None
            await connection.close()
            log.info("released the delivery lock")

    async def _try(self) -> bool:
        connection = await self._engine.connect()
        try:
            schema = (await connection.execute(text("SELECT current_schema()"))).scalar_one()
            self._objid = _signed_int4(zlib.crc32(str(schema).encode()))
            won = (
                await connection.execute(
                    text("SELECT pg_try_advisory_lock(:key, :objid)"),
                    {"key": self._key, "objid": self._objid},
                )
            ).scalar_one()
            await connection.commit()  # the lock outlives the transaction; no idle transaction
        except BaseException:
            await connection.close()
            raise
        if not won:
            await connection.close()
            return False
        self._connection = connection
        log.info("took the delivery lock: this process sends")
        return True

    @staticmethod
    async def _alive(connection: AsyncConnection) -> bool:
        try:
            await connection.execute(text("SELECT 1"))
            await connection.commit()
        except (SQLAlchemyError, OSError):
            return False
        return True

    async def _discard(self) -> None:
        """Drop the connection for good: the server ends its session, and with it the lock."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.invalidate()
            await connection.close()
        except (SQLAlchemyError, OSError) as error:
            log.debug("closing a broken lock connection failed: %s", error)


def leader_for(engine: object) -> Leadership:
    """An advisory lock on PostgreSQL; on SQLite (one process) this process is the sender."""
    if isinstance(engine, AsyncEngine) and engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    if isinstance(engine, AsyncEngine):
        return SoleSender()
    raise TypeError(f"cannot tell the database from {engine!r}; pass a Leadership explicitly")
