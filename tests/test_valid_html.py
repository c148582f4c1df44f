"""Markup that the Nu HTML Checker (vnu) accepts: form widgets, chart ids, and the checker itself."""

import re

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional

from academy.core.widgets import DateInput, Select
from academy.retention.charts import bar_chart, survival_chart
from academy.retention.survival import CohortCurve, Step
from tests.vnu import html_errors

PAGE = '<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main>{}</main></body></html>'


class DatesForm(FlaskForm):
    class Meta:
        csrf = False

    due = DateField("Due", format="%d %m %Y", widget=DateInput(), validators=[InputRequired("Enter the date")])
    maybe = DateField("Maybe", format="%d %m %Y", widget=DateInput(), validators=[Optional()])


class ChairForm(FlaskForm):
    class Meta:
        csrf = False

    chair = SelectField("Chair", coerce=int, widget=Select("Choose the chair"), validators=[InputRequired("Pick one")])
    any = SelectField("Any", coerce=int, widget=Select())


def test_a_required_date_marks_its_three_inputs_required_not_their_wrapper(app):
    with app.test_request_context():
        form = DatesForm()
        due, maybe = str(form.due()), str(form.maybe())
    assert re.search(r'<div class="govuk-date-input"[^>]*>', due)[0].find("required") == -1
    assert len(re.findall(r"<input[^>]*required", due)) == 3
    assert "required" not in maybe


def test_a_required_select_starts_with_an_empty_placeholder(app):
    with app.test_request_context():
        form = ChairForm()
        form.chair.choices = [(4, "Sally"), (7, "Sam")]
        form.any.choices = [(4, "Sally")]
        chair, other = str(form.chair()), str(form.any())
    options = re.findall(r"<option[^>]*>[^<]*</option>", chair)
    assert options[0] == '<option value="" selected>Choose the chair</option>'
    assert [re.sub(r"\s+", " ", o) for o in options[1:]] == [
        '<option value="4">Sally</option>',
        '<option value="7">Sam</option>',
    ]
    assert "Choose" not in other


def test_the_placeholder_is_refused_with_the_fields_own_message(app):
    with app.test_request_context(method="POST", data={"chair": "", "any": "4"}):
        form = ChairForm()
        form.chair.choices = [(4, "Sally")]
        form.any.choices = [(4, "Sally")]
        assert not form.validate()
        assert form.errors == {"chair": ["Pick one"]}
        assert "selected>Choose the chair</option>" in str(form.chair())


def test_charts_on_one_page_share_no_ids(tmp_path):
    series = [("Left", [1.0, 2.0]), ("Stayed", [3.0, 4.0]), ("Other", [5.0, 6.0])]
    curves = [CohortCurve("A", [Step(6, 10, 1, 0, 0.9)]), CohortCurve("B", [Step(12, 10, 2, 0, 0.8)])]
    svgs = [
        bar_chart("One", ["x", "y"], series, y_title="People"),
        bar_chart("Two", ["x", "y"], series, y_title="Others"),
        survival_chart("Three", curves),
    ]
    ids = re.findall(r' id="([^"]+)"', "".join(svgs))
    assert len(ids) > 6
    assert len(ids) == len(set(ids))
    assert html_errors({"charts": PAGE.format("".join(svgs))}, tmp_path) == []


def test_the_checker_reports_page_line_and_message(tmp_path):
    bad = PAGE.format('<div required>\n<p id="a">One</p><p id="a">Two</p></div>')
    errors = html_errors({"/good": PAGE.format("<p>Fine</p>"), "/bad": bad}, tmp_path)
    assert len(errors) == 2
    assert errors[0].startswith("/bad line 1: Attribute “required” not allowed on element “div”")
    assert errors[1].startswith("/bad line 2: Duplicate ID “a”.")
