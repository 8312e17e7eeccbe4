"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.cli import upgrade_database
from portal.db import Base, make_engine
from tests.conftest import TEST_DATABASE_URL, side_database_name


def _fresh_url(tmp_path) -> tuple[str, object]:
    """An empty database: a SQLite file, or a new PostgreSQL database beside the test one."""
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}", None
    admin = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = side_database_name("migration_check")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = sa.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    return url, admin


def test_migrations_match_models(tmp_path):
    url, admin = _fresh_url(tmp_path)
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
        table_names = set(sa.inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= table_names
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {sa.make_url(url).database}")
            admin.dispose()
