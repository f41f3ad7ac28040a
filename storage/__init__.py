"""Persistence: SQLModel tables, async sessions, repositories, unit of work, migrations."""
