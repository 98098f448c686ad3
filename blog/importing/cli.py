"""`flask --app wsgi import disqus|wordpress|isso FILE`: bring old comments along."""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import ParseError

import click
from defusedxml import DefusedXmlException

from blog.importing import formats, ndjson
from blog.services.importing import Importer, SourceThread

PROGRESS_EVERY = 500


@click.group("import")
def import_group() -> None:
    """Import comments exported by another comment system."""


def _options(command):
    command = click.option("--dry-run", is_flag=True,
                           help="Read everything and say what would be imported; write nothing.")(
        command)
    return command


def run_import(source: str, records: Iterable, dry_run: bool) -> None:
    """Feed `records` to an Importer, with a progress line per batch; print the summary last."""
    importer = Importer(source, dry_run=dry_run,
                        progress=lambda done: click.echo(
                            f"  {importer.report.imported} comments written", err=True))
    try:
        for record in records:
            if isinstance(record, SourceThread):
                importer.add_thread(record)
            else:
                importer.add_comment(record)
    except (DefusedXmlException, ParseError) as error:
        importer.finish()
        for problem in importer.report.problems:
            click.echo(f"skipped {problem.where}: {problem.reason}", err=True)
        raise click.ClickException(f"The file cannot be read safely: {error}") from None
    report = importer.finish()
    for problem in report.problems:
        click.echo(f"skipped {problem.where}: {problem.reason}", err=True)
    click.echo(report.summary(dry_run))


@import_group.command("disqus")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_options
def import_disqus(path: str, dry_run: bool) -> None:
    """Import a Disqus XML export."""
    with open(path, "rb") as stream:
        run_import("disqus", formats.read_disqus(stream), dry_run)


@import_group.command("wordpress")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_options
def import_wordpress(path: str, dry_run: bool) -> None:
    """Import a WordPress export (WXR)."""
    with open(path, "rb") as stream:
        run_import("wordpress", formats.read_wordpress(stream), dry_run)


@import_group.command("isso")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--base-url", required=True,
              help="The site's address: Isso keeps paths (/2024/harbour/), threads need URLs.")
@_options
def import_isso(path: str, base_url: str, dry_run: bool) -> None:
    """Import an Isso SQLite database."""
    run_import("isso", formats.read_isso(path, base_url), dry_run)


@import_group.command("ndjson")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_options
def import_ndjson(path: str, dry_run: bool) -> None:
    """Import this product's own export (`flask export`), from this site or another."""
    with open(path, encoding="utf-8") as stream:
        report = ndjson.import_export(stream, dry_run=dry_run)
    for problem in report.problems:
        click.echo(f"skipped {problem.where}: {problem.reason}", err=True)
    click.echo(report.summary(dry_run))


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(path: str) -> None:
    """Write every identity, post and comment to PATH as NDJSON (`import ndjson` reads it)."""
    with open(path, "w", encoding="utf-8") as stream:
        lines = ndjson.write_export(stream)
    click.echo(f"exported {lines - 1} records to {path}")
