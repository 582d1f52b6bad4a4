"""Alembic environment: run with the engine Likvärd hands over (never from alembic.ini)."""

from alembic import context
from sqlalchemy.engine import Connection

from app.storage.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` command line from a checkout: a scratch database
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///likvard-dev.sqlite")


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    with connection.begin():
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=sqlite)
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left broken references: {broken[:5]}")


with engine.connect() as connection:
    if connection.dialect.name != "sqlite":
        _run(connection)
    else:
        # A batch migration rebuilds a table by copying it and dropping the original. With
        # foreign keys on, that DROP deletes the rows referencing it (ON DELETE CASCADE: every
        # answer). The pragma only takes effect outside a transaction: switch it off first and
        # check the references ourselves before committing.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            _run(connection)
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
