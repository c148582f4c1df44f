"""The web plumbing every view uses: one guard, loading with a permission check, running a service,
downloads and pagination.

Permission decisions live in each feature's policies.py; this module only enforces them. Every view
is either guarded with `requires(...)` or declared `public`; a test walks the URL map to hold that.
"""

import csv
import inspect
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar, cast

from flask import Response, abort, request, send_file
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import IntegerConverter

from academy.core.csvsafe import safe_rows
from academy.core.errors import DomainError
from academy.core.locking import SAVED_MEANWHILE, StaleRecord, VersionFields
from academy.extensions import db

T = TypeVar("T")
View = Callable[..., Any]
Rule = Callable[..., bool]

# The attribute `requires` and `public` put on a view, read by the URL-map test.
ACCESS_ATTRIBUTE = "access_rule"
PUBLIC = "public"


def require(allowed: bool, user: Any = None) -> None:
    """Abort unless `allowed`: 404 for an NQSW (so other people's records stay invisible), else 403."""
    if allowed:
        return
    who = user if user is not None else current_user
    abort(404 if getattr(who, "is_nqsw_only", False) else 403)


def public(view: View) -> View:
    """Declare a view that anyone may open without signing in (sign-in itself, invitations, errors)."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def requires(rule: Rule, *, load: Callable[..., Any] | None = None) -> Callable[[View], View]:
    """Guard a view: the visitor must be signed in and `rule` must allow them.

    Without `load`, the rule is asked `rule(user)`. With `load`, the loader is called with the URL
    arguments it names (it aborts 404 when the record is missing), the rule is asked
    `rule(user, record)`, and the view receives the record as its first argument followed by the
    URL arguments the loader did not take:

        @bp.get("/participants/<int:participant_id>")
        @requires(can_view_participant, load=load_participant)
        def participant(participant: Participant): ...
    """
    taken = set(inspect.signature(load).parameters) if load is not None else set()

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(**url_args: Any) -> Any:
            if load is None:
                require(rule(current_user))
                return view(**url_args)
            record = load(**{name: url_args.pop(name) for name in taken if name in url_args})
            require(rule(current_user, record))
            return view(record, **url_args)

        setattr(guarded, ACCESS_ATTRIBUTE, rule)
        return login_required(guarded)

    return decorator


# The largest id an INTEGER column holds (32 bits on PostgreSQL).
MAX_ID = 2**31 - 1


def digits_at_most(limit: int) -> str:
    """A regular expression for the numbers 0 to `limit` in ASCII digits, without leading zeros past one
    digit: shorter numbers, then each way of staying below `limit` digit by digit."""
    text = str(limit)
    if len(text) == 1:
        return f"[0-{text}]"
    branches = [f"[0-9]{{1,{len(text) - 1}}}"]
    for i, digit in enumerate(text):
        if digit != "0" and (i > 0 or digit != "1"):
            low = "1" if i == 0 else "0"
            rest = len(text) - i - 1
            branches.append(f"{text[:i]}[{low}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    branches.append(text)
    return "|".join(branches)


class IdConverter(IntegerConverter):
    """The `<int:...>` of every URL: ASCII digits 0 to 9 only (Python's \\d also matches Arabic-Indic and
    other digits) and at most MAX_ID, so a 25-digit id is a 404 and never reaches the database (where
    it would overflow). The bound is in the pattern itself, so a POST-only route answers 404 too, not
    405. create_app installs it as the "int" converter."""

    regex = f"(?:{digits_at_most(MAX_ID)})"


def get_or_404(model: type[T], ident: Any) -> T:
    """The row with primary key `ident`, or 404 (also for ids too large for the database)."""
    if isinstance(ident, int) and not 0 < ident <= MAX_ID:
        abort(404)
    return db.get_or_404(model, ident)


def show_error(form: FlaskForm, error: DomainError, fallback: str | None = None) -> None:
    """Put a service's refusal next to the field it is about: the error's own field when the form has
    it, else `fallback`, else the form's first visible field."""
    field_for = getattr(form, "field_for_error", None)
    names = [field_for(error.field) if field_for and error.field else error.field, fallback]
    field = next((getattr(form, name) for name in names if name and hasattr(getattr(form, name, None), "errors")), None)
    if field is None:
        visible = [f for f in form if f.type not in ("CSRFTokenField", "HiddenField")]
        field = visible[0] if visible else next(iter(form))
    field.errors = [*list(field.errors or []), error.message]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `run_service` did: true when the use case ran and was committed. `value` is what it returned
    (typed; only for an outcome that ran); `result` is the same, or None when it was refused."""

    ok: bool
    result: Any = None

    @property
    def value(self) -> T:
        """What the use case returned; only a use case that ran has one."""
        if not self.ok:
            raise RuntimeError("The use case was refused, so it returned nothing.")
        return cast(T, self.result)

    def __bool__(self) -> bool:
        return self.ok


def run_service(form: FlaskForm, action: Callable[[], T], *, field: str | None = None) -> Outcome[T]:
    """Run one use case and commit. On a DomainError roll back, show its message on the form (on the
    error's field, else `field`) and return a false Outcome. Services only flush, so a refusal leaves
    nothing half-written. A record refused as changed since the form was opened (StaleRecord) leaves the
    form carrying its new version, so that saving again applies what the person typed; a save that met
    another at the same moment (SQLAlchemy's StaleDataError from the version check) is refused the same
    way, never a 500:

        if form.validate_on_submit() and (done := run_service(form, lambda: pause(...), field="on")):
            flash(done.value)
    """
    try:
        value = action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, StaleRecord) and isinstance(form, VersionFields):
            form.carry(error.current)
        show_error(form, error, field)
        return Outcome(False)
    except StaleDataError:
        db.session.rollback()
        show_error(form, DomainError(SAVED_MEANWHILE), field)
        return Outcome(False)
    return Outcome(True, value)


def fix_dates(form: FlaskForm) -> None:
    """A date posted without its three parts has no raw data the GOV.UK widget can show."""
    for field in form:
        if field.type == "DateField" and field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None


def csv_download(rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """Rows (the first is the header) as a CSV file download, in UTF-8 with a byte-order mark so that
    Excel opens names with accents and curly quotes correctly. Cells that a spreadsheet would run as a
    formula are neutralised (core/csvsafe.py), whoever typed them."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(safe_rows(rows))
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"},
    )


def pdf_download(data: bytes, filename: str) -> Response:
    """A PDF as a file download."""
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def page_number() -> int:
    """The `page` query argument, 1 when missing or not a positive number."""
    page = request.args.get("page", "1")
    return int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 100_000 else 1
