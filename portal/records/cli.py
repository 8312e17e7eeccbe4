"""Commands `flask archive`, `flask archive verify`, `flask retention`, `flask backup` and
`flask restore`. Each refusal is a clear message and exit status 1, never a traceback."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import exc as sa_exc

from portal.db import get_session
from portal.records import retention
from portal.records.backup import backup, restore
from portal.records.common import (
    MANIFEST,
    RecordsError,
    find_campaign,
    first_mismatch,
    read_manifest,
    sha256_of,
)


class _ArchiveGroup(AppGroup):
    """`flask archive CAMPAIGN` archives; `flask archive verify PATH` checks an archive."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["create", *args]
        return super().parse_args(ctx, args)


def _fail(err: RecordsError):
    raise click.ClickException(str(err)) from None


def _plain_errors(command):
    """A database without the schema, or a folder that cannot be written, is a message."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except RecordsError as err:
            _fail(err)
        except (sa_exc.OperationalError, sa_exc.ProgrammingError, sqlite3.DatabaseError) as err:
            first = str(getattr(err, "orig", None) or err).splitlines()[0]
            raise click.ClickException(
                f"the database could not be read ({first}): is its schema up to date "
                "('flask db upgrade')?"
            ) from None
        except OSError as err:
            raise click.ClickException(f"{err.strerror or err}: {err.filename}") from None

    return run


@click.group("archive", cls=_ArchiveGroup)
def archive_group():
    """Archive a finished year (CAMPAIGN: its year or id), or verify an archive."""


@archive_group.command("create")
@click.argument("campaign")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory in which the archive's folder is written.",
)
@click.option("--force", is_flag=True, help="Archive a year whose notice or honours are not final.")
@_plain_errors
def archive_create(campaign: str, output: Path, force: bool):
    """Write the archive of CAMPAIGN (year or id) with its manifest and Word index."""
    # why: the archive brings python-docx and lxml, loaded only when an archive is written
    from portal.records.archive import write_archive

    session = get_session()
    try:
        result = write_archive(session, find_campaign(session, campaign), output, force=force)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    click.echo(
        f"archive written to {result.path}: {result.packets} packets, {result.files} files, "
        f"{result.audit_entries} audit entries; it holds personal data, keep it as the "
        "office's record"
    )
    click.echo(f"manifest SHA-256 {result.manifest_sha256} (in the campaign.archive audit entry)")
    if result.problems:
        for problem in result.problems:
            click.echo(f"problem: {problem}", err=True)
        raise SystemExit(1)


@archive_group.command("verify")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_plain_errors
def archive_verify(path: Path):
    """Check every file of the archive at PATH against its manifest."""
    count = len(read_manifest(path)["files"])
    mismatch = first_mismatch(path)
    if mismatch:
        click.echo(f"archive BROKEN: {mismatch}", err=True)
        raise SystemExit(1)
    click.echo(f"archive intact: {count} files match the manifest")
    click.echo(
        f"manifest SHA-256 {sha256_of(path / MANIFEST)}: compare it with the campaign.archive "
        "audit entry ('flask audit verify' vouches for the entry)"
    )


@click.command("retention")
@with_appcontext
@click.option("--apply", "apply_", is_flag=True, help="Remove what has passed its time.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (with --apply).")
@click.option(
    "--on",
    "on_day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge as of this day (YYYY-MM-DD, Beijing); default today.",
)
@_plain_errors
def retention_command(apply_: bool, yes: bool, on_day):
    """List the files and personal data whose keeping time has passed; --apply removes them."""
    session = get_session()
    today = on_day.date() if on_day else None
    due = retention.find_due(session, today)
    for item in due:
        click.echo(f"{item.kind}\t{item.object_type} {item.object_id}\t{item.description}")
    if not due:
        click.echo("nothing has passed its keeping time")
        return
    for year in retention.unarchived_years(session, due):
        click.echo(
            f"warning: {year} has not been archived: 'flask archive {year}' keeps its records "
            "before --apply removes them",
            err=True,
        )
    if not apply_:
        click.echo(f"{len(due)} records passed their keeping time; --apply removes them")
        return
    if not yes and not click.confirm(f"Remove the data of these {len(due)} records?"):
        click.echo("nothing removed", err=True)
        raise SystemExit(1)
    removed = retention.apply(session, due, today)
    session.commit()
    failures = retention.delete_objects(removed.objects)
    click.echo(
        f"purged {removed.records} records: {len(removed.objects)} stored files deleted, "
        "personal fields blanked, one retention.purge audit entry each"
    )
    for failure in failures:
        click.echo(f"problem: {failure}", err=True)
    if failures:
        raise SystemExit(1)


@click.command("backup")
@with_appcontext
@click.argument("dest", type=click.Path(path_type=Path))
@_plain_errors
def backup_command(dest: Path):
    """Copy the SQLite database (online, consistent) and the local files to DEST."""
    try:
        result = backup(current_app, dest)
    except RecordsError as err:
        _fail(err)
    click.echo(
        f"backup written to {dest}: database and {result.files} files, audit chain of "
        f"{result.audit_count} entries"
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.command("restore")
@with_appcontext
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_plain_errors
def restore_command(src: Path):
    """Restore a backup from SRC into this (fresh, empty) instance folder."""
    try:
        result = restore(current_app, src)
    except RecordsError as err:
        _fail(err)
    click.echo(
        f"restored {result.files} files and the database into {current_app.instance_path}; "
        "run 'flask audit verify' with the same PORTAL_AUDIT_KEY (or secret key)"
    )


def register_records_cli(app: Flask) -> None:
    app.cli.add_command(archive_group)
    app.cli.add_command(retention_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
