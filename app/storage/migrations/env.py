"""Alembic environment: run with the engine Likvärd hands over (never from alembic.ini)."""

from alembic import context

from app.storage.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` command line from a checkout: a scratch database
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///likvard-dev.sqlite")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
