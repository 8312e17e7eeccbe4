"""Command-line tools: `flask --app portal db upgrade`, `audit verify`/`anchor`, `demo`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from portal import audit
from portal.db import get_session
from portal.mail_cli import outbox_cli
from portal.records.cli import register_records_cli  # archive, retention, backup
from portal.reference import seed_reference

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None):
    # why: Alembic loads only for the database commands
    from alembic.config import Config

    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["sqlalchemy_url"] = url or current_app.config["SQLALCHEMY_URL"]
    return cfg


def upgrade_database(url: str | None = None, revision: str = "head") -> None:
    # why: Alembic loads only for the database commands
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def register_cli(app: Flask) -> None:
    app.cli.add_command(outbox_cli)

    @app.cli.group("db")
    def db_group():
        """Database schema (Alembic migrations)."""

    @db_group.command("upgrade")
    @click.argument("revision", default="head")
    def db_upgrade(revision: str):
        """Bring the schema up to REVISION (default: head)."""
        upgrade_database(revision=revision)
        click.echo(f"database at {revision}")

    @db_group.command("revision")
    @click.option("-m", "--message", required=True)
    @click.option("--rev-id", default=None, help="Revision id (default: random).")
    def db_revision(message: str, rev_id: str | None):
        """Autogenerate a migration from the models; read it before committing."""
        # why: Alembic loads only for the database commands
        from alembic import command

        command.revision(alembic_config(), message=message, autogenerate=True, rev_id=rev_id)

    @app.cli.command("load-reference")
    def load_reference():
        """Insert the default districts and industries that are missing (safe to repeat)."""
        session = get_session()
        seed_reference(session)
        session.commit()
        click.echo("districts and industries loaded")

    @app.cli.group("audit")
    def audit_group():
        """The audit trail."""

    @audit_group.command("verify")
    @click.option(
        "--anchors",
        "anchor_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="A file of anchors written by 'audit anchor' (repeatable).",
    )
    def audit_verify(anchor_files: tuple[str, ...]):
        """Check the chain's MACs and any anchors; exit 1 and say where it breaks if it does."""
        anchors = [
            audit.Anchor.from_json(line)
            for path in anchor_files
            for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        result = audit.verify(get_session(), anchors)
        if result.ok:
            against = f", {len(anchors)} anchors matched" if anchors else ""
            click.echo(f"audit chain intact: {result.checked} entries{against}")
            return
        where = f"entry {result.broken_at}" if result.broken_at else "the end of the chain"
        click.echo(
            f"audit chain BROKEN at {where}: {result.problem} "
            f"({result.checked} entries verified before it)",
            err=True,
        )
        raise SystemExit(1)

    @audit_group.command("match")
    @click.argument("value")
    def audit_match(value: str):
        """List the entries that speak of a personal VALUE you already hold (ID number, mobile)."""
        found = audit.entries_mentioning(get_session(), value)
        for entry in found:
            when = entry.created_at.isoformat(timespec="seconds")
            click.echo(f"{entry.id}\t{when}\t{entry.action}\t{entry.object_type} {entry.object_id}")
        click.echo(f"{len(found)} entries", err=True)

    @audit_group.command("anchor")
    @click.option(
        "--append",
        "append_to",
        type=click.Path(dir_okay=False),
        help="Append the anchor to this file instead of printing it.",
    )
    def audit_anchor(append_to: str | None):
        """Print (or append to a file) the chain's head: keep it outside the database."""
        line = audit.anchor(get_session()).to_json()
        if append_to:
            with open(append_to, "a", encoding="utf-8") as out:
                out.write(line + "\n")
        click.echo(line)

    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="Delete the SQLite database first.")
    def demo(reset: bool):
        """Create the schema and a realistic demo campaign; print the demo logins."""
        # why: the demo data and its modules load only for the demo command
        from portal.demo import seed_demo

        url = current_app.config["SQLALCHEMY_URL"]
        if reset and url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        upgrade_database()
        for line in seed_demo():
            click.echo(line)

    register_records_cli(app)
