"""The upload progress bar runs under the Content-Security-Policy (issue 8, item 11).

Every journey also fails on any CSP refusal (tests/browser/conftest.py).
"""

import pytest

from tests.enrollment.builders import admission_row, admission_sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.rule("SEC-2")]


def test_the_import_page_uploads_through_its_progress_script(
    page, signed_in_as, live_server, registrar, term, major_a, tmp_path
):
    path = tmp_path / "luqu.xlsx"
    path.write_bytes(admission_sheet([admission_row(1, major_a)]))
    signed_in_as(registrar)
    page.goto(f"{live_server.url}/admin/enrollment/admissionrecord/import/")
    page.set_input_files("#file", str(path))
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr") as upload:
        page.click("#import-submit")
    assert upload.value.url.endswith("/admin/enrollment/admissionrecord/import/")
    page.wait_for_selector("#import-result")


def test_the_api_docs_render_under_the_policy(page, signed_in_as, live_server, registrar):
    signed_in_as(registrar)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
