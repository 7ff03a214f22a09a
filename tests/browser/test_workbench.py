"""Each staff role's home page and one of its list pages at 1366×768 (issue 10, items 1-3).

The page fits the screen (nothing scrolls sideways, no column is cut) and shows no English
interface text: the theme's and Django's own words are translated too.
"""

import pytest

from deadlines.services import deadline_rules_seed
from enrollment.services import (
    ItemInput,
    review_batch_create,
    review_batch_return,
    review_batch_submit,
    review_items_save,
)
from registrar.models import User
from tests.browser.page_text import VISIBLE_TEXT, english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 768}
# Text each role's pages once showed in English (issue 10).
KNOWN_ENGLISH = [
    "Access attempts",
    "AXES",
    "Term text",
    "Recent actions",
    "None available",
    "Type to search",
    "Page not found",
]

# Elements that scroll or cut their content sideways (simplebar's measuring helpers aside), and the
# change list's right edge against the screen's.
OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  cut: [...document.querySelectorAll('#main *')]
    .filter(e => !String(e.className).includes('simplebar'))
    .filter(e => e.scrollWidth > e.clientWidth + 2 && getComputedStyle(e).overflowX !== 'visible')
    .map(e => e.tagName + '#' + e.id + '.' + String(e.className).slice(0, 40)),
  table: (document.querySelector('#result_list')?.getBoundingClientRect().right ?? 0) - window.innerWidth,
})"""

PAGES = {
    "registrar": "/admin/enrollment/admissionrecord/",
    "college_a_staff": "/admin/enrollment/reviewbatch/",
    "auditor": "/admin/deadlines/deadlinerule/",
}


# What each role's home page must say: the lists waiting, the returned list's reason, the rules watched.
WHAT_TO_DO_NEXT = {
    "registrar": "名单待审批",
    "college_a_staff": "请核对第3名学生的证件号码",
    "auditor": "新生入学资格复查",
}


@pytest.fixture
def a_returned_list(registrar, college_a_staff, college_a, term, freshmen_a):
    deadline_rules_seed()  # a transactional test before this one may have emptied the seeded rules
    batch = review_batch_create(actor=college_a_staff, college=college_a, term=term, title="2026级第一批")
    review_items_save(
        actor=college_a_staff,
        batch_id=batch.pk,
        items=[ItemInput(key=r.exam_number, outcome="passed") for r in freshmen_a[:3]],
    )
    review_batch_submit(actor=college_a_staff, batch_id=batch.pk)
    review_batch_return(actor=registrar, batch_id=batch.pk, comment="请核对第3名学生的证件号码")
    return batch


@pytest.mark.parametrize("role", list(PAGES))
def test_each_staff_role_sees_its_home_and_a_list_in_chinese_within_the_screen(
    role, page, signed_in_as, live_server, auditor, college_a_staff, a_returned_list, screenshot_dir
):
    page.set_viewport_size(VIEWPORT)
    signed_in_as(User.objects.get(username=role))
    for name, path in (("home", "/admin/"), ("list", PAGES[role])):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(screenshot_dir / f"workbench_{role}_{name}.png"))
        text = page.evaluate(VISIBLE_TEXT).replace(role, "")  # the user menu names the account
        assert english_words(text) == [], f"{path} shows English: {english_words(text)}"
        assert not [phrase for phrase in KNOWN_ENGLISH if phrase in text]
        overflow = page.evaluate(OVERFLOW)
        assert overflow["page"] <= 0 and overflow["cut"] == [] and overflow["table"] <= 0, overflow
        if name == "home":
            assert page.locator("#workbench .wb-card").count() >= 2
            assert WHAT_TO_DO_NEXT[role] in page.inner_text("#workbench")
