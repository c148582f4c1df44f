"""Every URL is either guarded by a permission rule or declared public: nothing is open by accident."""

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


# Sign-in, the invitation and password links, and the document check a printed copy points to.
PUBLIC_ENDPOINTS = {"accounts.sign_in", "accounts.accept_invitation"}


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_guarded_page(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in FRAMEWORK_ENDPOINTS or getattr(view, ACCESS_ATTRIBUTE, None) == PUBLIC:
            continue
        if "GET" not in rule.methods:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "x")
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location, f"{url}: {response.status_code}"
