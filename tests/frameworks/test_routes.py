"""Coordinator pages: permissions, the tree, web import with its error list, editing into a new version."""

import io

import pytest
import sqlalchemy as sa

from academy.cohorts import queries as cohort_queries
from academy.frameworks import services
from academy.frameworks.loader import find_framework
from academy.frameworks.models import ElementMapping, Framework
from tests import factories

CSV = b"number,parent_number,title,description,level\n1,,Relationships,,\n1.1,1,Direct work,,\n"
DETAILS = {
    "code": "ECS_WEB",
    "name": "Early career standards (web test)",
    "version": "2027",
    "publisher": "Synthetic publisher",
    "valid_from": "2027-04-01",
    "valid_to": "",
    "service_area": "child_family",
    "source": "",
}


@pytest.fixture
def kss(db):
    factories.make_cohort("September 2026 intake")
    return find_framework("CF_KSS_2018", "2018")


def urls(framework) -> list[str]:
    element = framework.elements[0]
    other = find_framework("PCF_2018", "2018")
    return [
        "/frameworks/",
        f"/frameworks/{framework.id}",
        f"/frameworks/{framework.id}/export.csv",
        f"/frameworks/{framework.id}/export.json",
        "/frameworks/import",
        f"/frameworks/{framework.id}/elements/{element.id}/edit",
        f"/frameworks/{framework.id}/elements/new",
        f"/frameworks/{framework.id}/elements/{element.id}/remove",
        f"/frameworks/{framework.id}/mappings?with={other.id}",
        f"/frameworks/{framework.id}/ratings-count-in/{other.id}",
        f"/frameworks/{framework.id}/move-cohort",
    ]


@pytest.mark.parametrize(("role", "status"), [("nqsw", 404), ("mentor", 403)])
def test_only_coordinators_reach_framework_pages(client, login, kss, role, status):
    login(factories.make_user({role}))
    for url in urls(kss):
        assert client.get(url).status_code == status, url
    login(factories.make_user({role}))
    token = client.csrf_token("/sign-in")
    element = kss.elements[0]
    posted = client.post(
        f"/frameworks/{kss.id}/elements/{element.id}/edit", data={"csrf_token": token, "title": "Changed"}
    )
    assert posted.status_code == status
    assert element.title == "Relationships and effective direct work"


def test_signed_out_people_are_sent_to_sign_in(client, kss):
    response = client.get("/frameworks/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_coordinator_sees_every_page(client, login, coordinator, kss):
    login(coordinator)
    for url in urls(kss):
        assert client.get(url).status_code == 200, url


def test_list_shows_cohorts_and_frozen_flag(client, login, coordinator, kss):
    login(coordinator)
    html = client.get("/frameworks/").get_data(as_text=True)
    assert "September 2026 intake" in html
    assert "Frozen" in html
    assert 'href="/frameworks/"' in client.get("/home/coordinator", follow_redirects=True).get_data(as_text=True)


def test_tree_is_nested_lists(client, login, coordinator, kss):
    login(coordinator)
    swe = find_framework("SWE_PS_2019", "2019")
    html = client.get(f"/frameworks/{swe.id}").get_data(as_text=True)
    group = html.index("Maintain my continuing professional development")
    standard = html.index("Learning from feedback")
    assert group < html.index("<ul", group) < standard  # the standards sit in a list inside their group


def test_web_import_of_a_csv(client, login, coordinator, db):
    login(coordinator)
    data = {**DETAILS, "file": (io.BytesIO(CSV), "ecs.csv")}
    response = client.post_form("/frameworks/import", data, content_type="multipart/form-data")
    assert response.status_code == 302
    framework = find_framework("ECS_WEB", "2027")
    assert [e.number for e in framework.elements] == ["1", "1.1"]


def test_web_import_of_a_broken_file_lists_every_problem(client, login, coordinator, db):
    login(coordinator)
    broken = b"number,parent_number,title,description,level\n1,,,,\n2.1,2,Orphan,,\n"
    data = {**DETAILS, "file": (io.BytesIO(broken), "broken.csv")}
    response = client.post_form("/frameworks/import", data, content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Line 2, title: The title is empty." in html
    assert "Line 3, parent_number: Unknown parent 2: no earlier element has that number." in html
    assert 'id="file-problems"' in html
    assert find_framework("ECS_WEB", "2027") is None


def test_web_import_checks_the_csv_details(client, login, coordinator, db):
    login(coordinator)
    data = {**DETAILS, "code": "", "valid_from": "soon", "file": (io.BytesIO(CSV), "ecs.csv")}
    response = client.post_form("/frameworks/import", data, content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The code is missing." in html
    assert "&#39;soon&#39; is not a date in the form YYYY-MM-DD." in html


def test_web_import_needs_a_csv_or_json_file(client, login, coordinator, db):
    login(coordinator)
    missing = client.post_form("/frameworks/import", DETAILS, content_type="multipart/form-data")
    assert missing.status_code == 400
    assert "Choose a framework file" in missing.get_data(as_text=True)
    data = {**DETAILS, "code": "", "file": (io.BytesIO(CSV), "ecs.txt")}
    wrong = client.post_form("/frameworks/import", data, content_type="multipart/form-data")
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert "The file must be a .csv or .json file" in html
    assert "The code is missing." not in html  # the details are checked only for a CSV file


def test_editing_a_frozen_framework_on_the_web_makes_a_new_version(client, login, coordinator, kss):
    login(coordinator)
    element = next(e for e in kss.elements if e.number == "3")
    url = f"/frameworks/{kss.id}/elements/{element.id}/edit"
    assert "September 2026 intake uses version 2018" in client.get(url).get_data(as_text=True)
    response = client.post_form(url, {"title": "Child development and attachment", "description": ""})
    assert response.status_code == 302
    new = find_framework("CF_KSS_2018", "2018.1")
    assert response.headers["Location"].endswith(f"/frameworks/{new.id}")
    assert next(e for e in new.elements if e.number == "3").title == "Child development and attachment"
    assert element.title == "Child development"
    assert cohort_queries.cohorts_using(kss)[0].name == "September 2026 intake"
    assert cohort_queries.cohorts_using(new) == []
    carry = client.get(f"/frameworks/{kss.id}/ratings-count-in/{new.id}").get_data(as_text=True)
    assert "3 Child development and attachment" in carry


def test_coordinator_adds_and_removes_a_cross_mapping(client, login, coordinator, kss):
    login(coordinator)
    pcf = find_framework("PCF_2018", "2018")
    source = next(e for e in kss.elements if e.number == "1")
    target = next(e for e in pcf.elements if e.number == "9")  # not in the shipped default mapping
    default = services.mapped_elements([source.id])
    assert {e.number for e in pcf.elements if e.id in default} == {"2", "5", "7"}
    url = f"/frameworks/{kss.id}/mappings?with={pcf.id}"
    response = client.post_form(url, {"kind": "cross", "source": str(source.id), "target": str(target.id)})
    assert response.status_code == 302
    assert services.mapped_elements([source.id]) == default | {target.id}
    session = client.application.extensions["sqlalchemy"].session
    mapping = session.scalars(
        sa.select(ElementMapping).filter_by(from_element_id=source.id, to_element_id=target.id)
    ).one()
    removed = client.post_form(f"/frameworks/{kss.id}/mappings/{mapping.id}/remove", {}, page=url)
    assert removed.status_code == 302
    assert services.mapped_elements([source.id]) == default


def test_coordinator_moves_a_cohort_without_records(client, login, coordinator, kss):
    login(coordinator)
    new, _ = services.edit_element(kss.elements[0], "Edited title", "", coordinator)
    cohort = cohort_queries.cohorts_using(kss)[0]
    response = client.post_form(f"/frameworks/{kss.id}/move-cohort", {"cohort": str(cohort.id), "target": str(new.id)})
    assert response.status_code == 302  # to the preview, which the coordinator confirms
    preview = response.headers["Location"]
    assert preview.endswith(f"/frameworks/{kss.id}/move-cohort/{cohort.id}/to/{new.id}")
    assert cohort_queries.cohorts_using(new) == []
    assert client.post_form(preview, {}).status_code == 302
    assert cohort_queries.cohorts_using(new) == [cohort]
    assert isinstance(new, Framework)
