"""Date arithmetic the database does for us, written once for SQLite and once for PostgreSQL.

SQLite keeps dates as ISO text ('YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS...'), so year, month and
day are read with substr(), which costs far less per row than strftime() (the figures call these
functions for every enrolment).
"""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class add_months(FunctionElement):
    """add_months(date, n): the date n calendar months later."""

    type = sa.Date()
    inherit_cache = True


class months_between(FunctionElement):
    """months_between(a, b): whole calendar months from date a to date b (a birthday-style count)."""

    type = sa.Integer()
    inherit_cache = True


class days_between(FunctionElement):
    """days_between(a, b): days from a to b (dates, or timestamps taken as their date)."""

    type = sa.Float()
    inherit_cache = True


class year_month(FunctionElement):
    """year_month(date): 'YYYY-MM'."""

    type = sa.String()
    inherit_cache = True


def _args(element, compiler, **kw) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    day, months = _args(element, compiler, **kw)
    return f"date({day}, printf('%+d months', {months}))"


@compiles(add_months, "postgresql")
def _add_months_pg(element, compiler, **kw):
    day, months = _args(element, compiler, **kw)
    return f"CAST(CAST({day} AS DATE) + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"


@compiles(months_between, "sqlite")
def _months_between_sqlite(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)

    def part(start: int, length: int, x: str) -> str:
        return f"CAST(substr({x}, {start}, {length}) AS INTEGER)"

    return (
        f"(({part(1, 4, b)} - {part(1, 4, a)}) * 12 + {part(6, 2, b)} - {part(6, 2, a)}"
        f" - (substr({b}, 9, 2) < substr({a}, 9, 2)))"
    )


@compiles(months_between, "postgresql")
def _months_between_pg(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)
    age = f"age(CAST({b} AS DATE), CAST({a} AS DATE))"
    return f"CAST(EXTRACT(YEAR FROM {age}) * 12 + EXTRACT(MONTH FROM {age}) AS INTEGER)"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)
    return f"(julianday(date({b})) - julianday(date({a})))"


@compiles(days_between, "postgresql")
def _days_between_pg(element, compiler, **kw):
    a, b = _args(element, compiler, **kw)
    return f"CAST(CAST({b} AS DATE) - CAST({a} AS DATE) AS FLOAT)"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    (day,) = _args(element, compiler, **kw)
    return f"substr({day}, 1, 7)"


@compiles(year_month, "postgresql")
def _year_month_pg(element, compiler, **kw):
    (day,) = _args(element, compiler, **kw)
    return f"to_char(CAST({day} AS DATE), 'YYYY-MM')"


class as_date(FunctionElement):
    """as_date(timestamp): its calendar date."""

    type = sa.Date()
    inherit_cache = True


@compiles(as_date, "sqlite")
def _as_date_sqlite(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"date({value})"


@compiles(as_date, "postgresql")
def _as_date_pg(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"CAST({value} AS DATE)"
