"""Persistence: SQLModel tables, the engine, migrations and paged queries."""
