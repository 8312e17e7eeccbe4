"""SQLAlchemy 2 base, engine and the request-scoped session."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, has_request_context, request
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase, Session, object_session, sessionmaker
from sqlalchemy.orm.interfaces import ORMOption

from portal.clock import utcnow as utcnow  # where the callers of portal.db look for it

_Row = TypeVar("_Row")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware timestamps stored as UTC on every backend (SQLite drops the offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A StrEnum stored as its value, with a CHECK constraint, on every backend."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def make_engine(url: str) -> sa.Engine:
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = sa.create_engine(url, **kwargs)
    _track_writes(engine)
    if url.startswith("sqlite"):
        # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN.
        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if _writes() else "BEGIN")

    return engine


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_READ_ONLY = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "BEGIN")


def _track_writes(engine: sa.Engine) -> None:
    """Note on each connection whether its transaction has sent anything but plain reads."""

    @event.listens_for(engine, "begin")
    def _fresh(conn):
        conn.info["db_wrote"] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn, _cursor, statement, _parameters, _context, _executemany):
        if conn.info.get("db_wrote"):
            return
        head = statement.lstrip()[:9].upper()
        if not head.startswith(_READ_ONLY) or " FOR UPDATE" in statement.upper():
            conn.info["db_wrote"] = True


def end_read_only_transaction(session: Session) -> None:
    """End the session's transaction if it has only read, before waiting on something slow.

    Called before a request body streams in: on SQLite a request that writes holds the
    write lock from its first query, so a slow upload would keep every other writer
    waiting. Loaded rows stay usable (expire_on_commit is off). A transaction that wrote, or
    has changes pending, is left alone, and so is a test's outer transaction.
    """
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    if not session.connection().info.get("db_wrote", True):
        session.commit()


def will_write() -> None:
    """Declare that this request writes although its method is safe (GET, HEAD)."""
    g.db_writes = True


def _writes() -> bool:
    """Whether a new SQLite transaction takes the write lock at once (BEGIN IMMEDIATE).

    It then waits its turn behind other writers (busy_timeout). A deferred transaction that
    has read and then writes after another writer committed fails at once with "database is
    locked", since waiting could not refresh its snapshot: parallel logins and uploads did.
    Requests with a safe method only read, unless they say otherwise with will_write(), and
    stay deferred: read pages run side by side instead of one at a time (parallel reads took
    twice as long when every transaction was IMMEDIATE). Outside requests (commands, the
    demo, tests) transactions write.
    """
    if not has_request_context():
        return True
    return request.method not in SAFE_METHODS or bool(g.get("db_writes"))


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["SQLALCHEMY_URL"])
    app.extensions["portal.db"] = {
        "engine": engine,
        "sessionmaker": sessionmaker(bind=engine, expire_on_commit=False),
    }
    app.teardown_appcontext(_close_session)


def get_engine() -> sa.Engine:
    return current_app.extensions["portal.db"]["engine"]


def get_session() -> Session:
    """The session of this request or app context; closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["portal.db"]["sessionmaker"]()
    return g.db_session


def get_or_404(model: type[_Row], ident: int, options: Sequence[ORMOption] = ()) -> _Row:
    """The row of `model` with primary key `ident` in this request's session, or a 404; with
    `options`, loaded as they say (say, a relationship joined in the same statement)."""
    row = get_session().get(model, ident, options=options)
    if row is None:
        abort(404)
    return row


def lock_row(session: Session, model: Any, row_id: int) -> None:
    """Lock the row of `model` whose id is `row_id` until the transaction ends: a parallel
    request that locks it too waits its turn, and what is read after the lock is what was
    committed before it (refresh the loaded row's columns a check reads). SELECT id … FOR
    UPDATE on PostgreSQL; on SQLite, which has no row locks and takes the database's write lock
    for a writing transaction, SQLAlchemy leaves the clause out. Reads the id alone, so that
    the row's loaded object is left as it is."""
    session.execute(sa.select(model.id).where(model.id == row_id).with_for_update())


# Ids a statement when rows kept beside the packets are counted again (the results' figures,
# the balance sums, the approval's list changes): far below what either database takes in
# parameters.
ID_CHUNK = 1000


def core_connection(bind: sa.Connection | Session) -> sa.Connection:
    """The connection to write Core statements on: a session's, past the ORM's unit of work."""
    return bind.connection() if isinstance(bind, Session) else bind


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The distinct ids in ascending order, ID_CHUNK at a time: two transactions counting the
    same packets take their rows in the same order."""
    ordered = sorted(set(ids))
    for at in range(0, len(ordered), ID_CHUNK):
        yield ordered[at : at + ID_CHUNK]


def session_of(row: object) -> Session:
    """The session a loaded row belongs to, for a rule or a guard that must ask the database
    about it; a row that is in none was never loaded or added, which is a programming error."""
    session = object_session(row)
    if session is None:
        raise RuntimeError(f"{row!r} is not in a session")
    return session


def _close_session(_exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
