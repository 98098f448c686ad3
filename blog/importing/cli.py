"""`flask --app wsgi import disqus|wordpress|isso FILE`: bring old comments along."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import click
from defusedxml import DefusedXmlException

from blog.importing import formats, ndjson
from blog.services.importing import Importer, SourceThread


@click.group("import")
def import_group() -> None:
    """Import comments exported by another comment system."""


def _options(command):
    command = click.option("--dry-run", is_flag=True,
                           help="Read everything and say what would be imported; write nothing.")(
        command)
    return command


class CountedReads:
    """A binary file that reports how many bytes each read took (the progress bar's steps)."""

    def __init__(self, stream: BinaryIO, advance):
        self.stream, self.advance = stream, advance

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.advance(len(data))
        return data


@contextmanager
def reading_with_progress(path: str) -> Iterator[BinaryIO]:
    """Open `path`; on a terminal, a progress bar follows the bytes read (a 200 MB export takes
    minutes). Elsewhere (a log, a pipe) the batches print one line each instead."""
    with open(path, "rb") as stream:
        if not sys.stderr.isatty():
            yield stream
            return
        with click.progressbar(length=os.path.getsize(path), label="Importing", file=sys.stderr,
                               show_percent=True, show_eta=True) as bar:
            yield CountedReads(stream, bar.update)


def feed(source: str, records: Iterable, dry_run: bool):
    """Write `records` with an Importer; return its report and the reason the file stopped
    being readable, if it did (what came before is kept)."""
    def batch_line(done: int) -> None:
        if not sys.stderr.isatty():
            click.echo(f"  {importer.report.imported} comments written", err=True)

    importer = Importer(source, dry_run=dry_run, progress=batch_line)
    try:
        for record in records:
            if isinstance(record, SourceThread):
                importer.add_thread(record)
            else:
                importer.add_comment(record)
    except (DefusedXmlException, ParseError) as error:
        return importer.finish(), error
    return importer.finish(), None


def print_report(report, dry_run: bool, error: Exception | None = None) -> None:
    """Each skipped record on stderr, then the summary line (or the reason the file stopped)."""
    for problem in report.problems:
        click.echo(f"skipped {problem.where}: {problem.reason}", err=True)
    if error is not None:
        raise click.ClickException(f"The file cannot be read safely: {error}")
    click.echo(report.summary(dry_run))


def import_file(source: str, path: str, reader, dry_run: bool) -> None:
    with reading_with_progress(path) as stream:
        report, error = feed(source, reader(stream), dry_run)
    print_report(report, dry_run, error)


@import_group.command("disqus")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_options
def import_disqus(path: str, dry_run: bool) -> None:
    """Import a Disqus XML export."""
    import_file("disqus", path, formats.read_disqus, dry_run)


@import_group.command("wordpress")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_options
def import_wordpress(path: str, dry_run: bool) -> None:
    """Import a WordPress export (WXR)."""
    import_file("wordpress", path, formats.read_wordpress, dry_run)


@import_group.command("isso")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--base-url", required=True,
              help="The site's address: Isso keeps paths (/2024/harbour/), threads need URLs.")
@_options
def import_isso(path: str, base_url: str, dry_run: bool) -> None:
    """Import an Isso SQLite database."""
    report, error = feed("isso", formats.read_isso(path, base_url), dry_run)
    print_report(report, dry_run, error)


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
