import pytest

from tests.users import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_registrar_signs_in_to_the_admin_and_sees_it_in_chinese(page, sign_in, registrar, screenshot_dir):
    sign_in("registrar", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "学籍学历电子注册管理系统" in page.content()
    assert page.get_by_text("工作台").first.is_visible()
    page.screenshot(path=str(screenshot_dir / "admin_index.png"), full_page=True)
    assert (screenshot_dir / "admin_index.png").stat().st_size > 1000
