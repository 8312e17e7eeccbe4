"""Alembic environment: the portal's metadata, batch mode for SQLite, the revisions' own types."""

from typing import Any

import schema_types  # migrations/schema_types.py, on sys.path by alembic.ini's prepend_sys_path
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import create_engine, pool

import portal.models  # noqa: F401  (registers every table)
from portal.db import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("sqlalchemy_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: run through `flask --app portal db upgrade`")
    return url


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render a column type of the portal's own as the type of that name in schema_types.py."""
    if kind != "type" or type(obj).__module__.split(".")[0] != "portal":
        return False
    name = type(obj).__name__
    if not isinstance(getattr(schema_types, name, None), type):
        raise RuntimeError(f"copy the column type {name} into migrations/schema_types.py first")
    autogen_context.imports.add("import schema_types")
    return f"schema_types.{obj!r}"


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
