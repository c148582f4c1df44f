"""`flask --app wsgi academy load-national-figures FILE.csv`: a newer year of England's figures."""

from pathlib import Path

import click

from academy.core.cli import academy_cli
from academy.core.dates import today
from academy.core.errors import DomainError
from academy.retention.national import parse_national_csv, save_loaded_years


@academy_cli.command("load-national-figures")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def load_national_figures_command(path: str) -> None:
    """Load England's figures from a DfE indicators CSV (csww_indicators_<from>_to_<to>.csv).

    The national rows (geographic_level National) are kept in the instance folder and shown beside the
    academy's figures from then on; a year already shipped or loaded is replaced by the file's.
    """
    try:
        years = parse_national_csv(Path(path).read_text(encoding="utf-8-sig"))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    saved = save_loaded_years(years, Path(path).name, today())
    for year, figures in sorted(years.items()):
        turnover = figures.get("turnover_rate_fte")
        click.echo(f"Year to 30 September {year}: turnover {turnover if turnover is not None else 'not given'}%")
    click.echo(f"Saved {len(years)} year(s) of England's figures to {saved}.")
