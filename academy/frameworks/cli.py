"""`flask --app wsgi academy load-frameworks | import-framework | export-framework`."""

import sys
from pathlib import Path

import click

from academy.core.cli import academy_cli
from academy.extensions import db
from academy.frameworks.loader import find_framework, load_shipped_data
from academy.frameworks.transfer import (
    FrameworkFileError,
    check_framework_file,
    export_csv,
    export_json,
    import_framework,
)
from academy.programmes.models import ServiceArea


@academy_cli.command("load-frameworks")
def load_frameworks_command() -> None:
    """Load the shipped frameworks (KSS, PCF, SWE standards) and default mappings. Safe to run again.

    Where an earlier release's version is loaded, the shipped file is added as a new version of it.
    """
    result = load_shipped_data()
    db.session.commit()
    for framework in result.loaded:
        line = f"Loaded {framework.code} {framework.version}: {len(framework.elements)} elements"
        if framework.previous_version is not None:
            line += f" (a new version of {framework.previous_version.version}, which stays as it is)"
        click.echo(line)
    if result.mappings_added:
        click.echo(f"Added {result.mappings_added} default cross-mapping links.")
    if not result.loaded and not result.mappings_added:
        click.echo("All shipped frameworks are already loaded.")


@academy_cli.command("import-framework")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["csv", "json"]), help="Default: from the file name.")
@click.option("--code", default="", help="CSV only: upper-case code, e.g. ECS_2027.")
@click.option("--name", default="", help="CSV only.")
@click.option("--version", "version", default="", help="CSV only.")
@click.option("--publisher", default="", help="CSV only.")
@click.option("--valid-from", default="", help="CSV only: YYYY-MM-DD.")
@click.option("--valid-to", default="", help="CSV only: YYYY-MM-DD (optional).")
@click.option("--service-area", type=click.Choice([a.value for a in ServiceArea]), default="all", help="CSV only.")
@click.option("--source", default="", help="CSV only: document title and address (optional).")
@click.option("--dry-run", is_flag=True, help="Check the file and report every problem; write nothing.")
def import_framework_command(path: Path, file_format: str | None, dry_run: bool, **metadata: str) -> None:
    """Import a framework from a CSV or JSON file (docs/framework-format.md). Nothing is saved on error."""
    file_format = file_format or path.suffix.lower().lstrip(".")
    try:
        if dry_run:
            checked, rows = check_framework_file(path.read_bytes(), file_format, metadata)
        else:
            framework = import_framework(path.read_bytes(), file_format, metadata, actor=None)
    except FrameworkFileError as error:
        db.session.rollback()
        verb = "has" if dry_run else "was not imported:"
        click.echo(f"{path.name} {verb} {len(error.problems)} problem(s).", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    if dry_run:
        code, version = str(checked["code"]).strip(), str(checked["version"]).strip()
        click.echo(f"{path.name} is valid: {code} {version}, {len(rows)} elements. Nothing was written (dry run).")
        return
    db.session.commit()
    click.echo(f"Imported {framework.code} {framework.version}: {len(framework.elements)} elements")


@academy_cli.command("export-framework")
@click.argument("code")
@click.argument("version")
@click.option("--format", "file_format", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: standard output.")
def export_framework_command(code: str, version: str, file_format: str, output: Path | None) -> None:
    """Export one framework version as CSV or JSON."""
    framework = find_framework(code, version)
    if framework is None:
        click.echo(f"No framework {code} version {version} is loaded.", err=True)
        sys.exit(1)
    text = export_csv(framework) if file_format == "csv" else export_json(framework)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8", newline="")
        click.echo(f"Wrote {output}")
