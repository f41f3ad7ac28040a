"""Small SQL helpers shared by repositories, for the two dialects we run on."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """ "postgresql" or "sqlite"."""
    return session.sync_session.get_bind().dialect.name


async def insert_unless_exists(
    session: AsyncSession, model: type[SQLModel], values: dict[str, Any], unique: list[str]
) -> bool:
    """Insert a row unless one with the same `unique` columns exists; True if it was inserted."""
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    primary_key = sa.inspect(model).primary_key[0]
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(primary_key)
    )
    return (await session.exec(statement)).first() is not None
