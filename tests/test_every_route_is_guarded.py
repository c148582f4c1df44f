"""Every URL is either guarded by a permission rule or declared public: nothing is open by accident."""

import re

from academy.core.web import ACCESS_ATTRIBUTE, PUBLIC

# Flask's own static files need no rule.
FRAMEWORK_ENDPOINTS = {"static"}


def test_every_rule_is_guarded_or_declared_public(app):
    unguarded = sorted(
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in FRAMEWORK_ENDPOINTS
        and getattr(app.view_functions[rule.endpoint], ACCESS_ATTRIBUTE, None) is None
    )
    assert not unguarded, "views with neither requires(...) nor public:\n" + "\n".join(unguarded)


def test_public_views_are_the_ones_meant_to_be(app):
    public = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions.get(rule.endpoint), ACCESS_ATTRIBUTE, None) == PUBLIC
    )
    assert public == sorted(PUBLIC_ENDPOINTS)


# Signing in, asking for a password link, and setting a password from a link (the token in it is the credential).
PUBLIC_ENDPOINTS = {"accounts.sign_in", "accounts.set_password", "accounts.forgot_password"}
# Answering a feedback request from outside the academy (issue 20): the token in the link is the credential.
PUBLIC_ENDPOINTS |= {"feedback.start", "feedback.answer", "feedback.thanks"}


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_guarded_page(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in FRAMEWORK_ENDPOINTS or getattr(view, ACCESS_ATTRIBUTE, None) == PUBLIC:
            continue
        if "GET" not in rule.methods:
            continue
        url = URL_ARGUMENT.sub(example_argument, rule.rule)
        response = client.get(url)
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert "/sign-in" in response.location, url


# A URL argument: <name>, <int:name>, <any(csv, json):name>.
URL_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<options>[^)]*)\))?:)?\w+>")


def example_argument(match: re.Match) -> str:
    """A value the argument's converter accepts: 1 for a number, the first choice of an `any`, else x."""
    if match["converter"] == "int":
        return "1"
    if match["converter"] == "any":
        return match["options"].split(",")[0].strip()
    return "x"
