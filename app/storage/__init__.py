"""Persistence: SQLAlchemy 2.0 models, the session factory, Alembic migrations, repositories."""
