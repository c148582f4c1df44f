"""The coordinator's funding pages: the list, each participant's details and claims, the rules, the exports."""

from functools import partial
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.audit.services import record_audit
from academy.core.dates import today
from academy.core.web import csv_download, requires, run_service
from academy.extensions import db
from academy.funding import bp
from academy.funding.exports import csv_rows, xlsx_bytes
from academy.funding.forms import ClaimForm, DetailsForm, RulesForm
from academy.funding.models import ClaimKind, ClaimStatus, FundingClaim, FundingScheme
from academy.funding.policies import can_manage_funding
from academy.funding.queries import FILTERS, counts, funding_rows
from academy.funding.services import (
    claim_for,
    current_scheme,
    details_for,
    record_claim,
    save_details,
    update_rules,
)
from academy.participants.models import Participant
from academy.participants.queries import load_participant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/funding")
@requires(can_manage_funding)
def index():
    scheme = current_scheme()
    db.session.commit()
    rows = funding_rows(scheme, today())
    show = request.args.get("show", "")
    shown = [r for r in rows if FILTERS[show][1](r)] if show in FILTERS else rows
    return render_template(
        "funding/index.html",
        scheme=scheme,
        rows=shown,
        total=len(rows),
        counts=counts(rows),
        filters=FILTERS,
        show=show,
    )


def _exported(scheme: FundingScheme, file_format: str, n: int) -> None:
    record_audit(
        current_user,
        "funding.exported",
        scheme,
        summary=f"Exported the {scheme.name} claims list ({file_format.upper()}, {n} people)",
        after={"format": file_format, "rows": n},
    )
    db.session.commit()


@bp.get("/funding/claims.<any(xlsx, csv):file_format>")
@requires(can_manage_funding)
def export(file_format: str):
    scheme = current_scheme()
    rows = funding_rows(scheme, today())
    _exported(scheme, file_format, len(rows))
    filename = f"asye-claims-{scheme.rules['period_start'][:4]}-{scheme.rules['period_end'][2:4]}-{today():%Y-%m-%d}"
    if file_format == "csv":
        return csv_download(csv_rows(rows), f"{filename}.csv")
    return Response(
        xlsx_bytes(rows, scheme.name),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"', "X-Content-Type-Options": "nosniff"},
    )


def _claim_form(scheme: FundingScheme, participant: Participant, kind: ClaimKind) -> ClaimForm:
    claim = claim_for(scheme, participant, kind)
    if request.method == "POST" and f"{kind.value}-submit" in request.form:
        return ClaimForm(prefix=kind.value)
    data: dict[str, Any] = {"claimed_on": today()}
    if claim is not None:
        data = {
            "status": claim.status.value,
            "claimed_on": claim.claimed_on,
            "decided_on": claim.decided_on,
            "reason": claim.reason,
        }
    return ClaimForm(prefix=kind.value, formdata=None, data=data)


def _save_claim(scheme: FundingScheme, participant: Participant, kind: ClaimKind, form: ClaimForm) -> FundingClaim:
    return record_claim(
        scheme,
        participant,
        kind,
        ClaimStatus(form.status.data),
        claimed_on=form.claimed_on.data,
        decided_on=form.decided_on.data,
        reason=form.reason.data or "",
        actor=current_user,
    )


@bp.route("/funding/participants/<int:participant_id>", methods=["GET", "POST"])
@requires(can_manage_funding, load=load_participant)
def participant(participant: Participant):
    scheme = current_scheme()
    details = details_for(scheme, participant)
    if request.method == "POST" and "details-submit" in request.form:
        details_form = DetailsForm(prefix="details")
    else:
        details_form = DetailsForm(
            prefix="details",
            formdata=None,
            data={"qualified_on": details.qualified_on, "funded_before": details.funded_before} if details else {},
        )
    forms = {kind: _claim_form(scheme, participant, kind) for kind in ClaimKind}
    back = redirect(url_for("funding.participant", participant_id=participant.id))
    if (
        "details-submit" in request.form
        and details_form.validate_on_submit()
        and run_service(
            details_form,
            lambda: save_details(
                scheme,
                participant,
                qualified_on=details_form.qualified_on.data,
                funded_before=bool(details_form.funded_before.data),
                actor=current_user,
            ),
            field="qualified_on",
        )
    ):
        flash("Funding details saved.", "success")
        return back
    for kind, form in forms.items():
        if (
            f"{kind.value}-submit" in request.form
            and form.validate_on_submit()
            and run_service(form, partial(_save_claim, scheme, participant, kind, form), field="status")
        ):
            flash(f"{kind.label} claim saved.", "success")
            return back
    rows = [r for r in funding_rows(scheme, today()) if r.participant.id == participant.id]
    failed = bool(details_form.errors or any(f.errors for f in forms.values()))
    return render_template(
        "funding/participant.html",
        scheme=scheme,
        participant=participant,
        row=rows[0] if rows else None,
        details_form=details_form,
        forms=forms,
        form=details_form if details_form.errors else next((f for f in forms.values() if f.errors), None),
    ), 400 if failed else 200


@bp.route("/funding/rules", methods=["GET", "POST"])
@requires(can_manage_funding)
def rules():
    scheme = current_scheme()
    if request.method == "POST":
        form = RulesForm()
    else:
        form = RulesForm(
            formdata=None,
            data={
                "employment_types": scheme.rules.get("eligible_employment_types", []),
                "max_years": scheme.rules.get("max_years_since_qualifying", 4),
            },
        )
    if form.validate_on_submit() and run_service(
        form,
        lambda: update_rules(
            scheme, employment_types=form.employment_types.data or [], max_years=form.max_years.data, actor=current_user
        ),
        field="employment_types",
    ):
        flash("Eligibility rules saved.", "success")
        return redirect(url_for("funding.index"))
    return render_template("funding/rules.html", scheme=scheme, form=form), 400 if form.errors else 200
