"""Staff list pages: the same markup as unfold's, worked out once per page (registrar/admin_site.py,
registrar/admin_base.py): a 100-row list took a third of its time recomputing headers for every row."""

import re

import pytest
from unfold import admin as unfold_admin
from unfold import widgets

pytestmark = pytest.mark.django_db

LIST = "/admin/enrollment/admissionrecord/"


def test_a_list_page_works_out_its_column_headers_once(client_for, registrar, freshmen_a, monkeypatch):
    toggles = []
    render = widgets.UnfoldBooleanWidget.render

    def counted(self, name, *args, **kwargs):
        if name == "action-toggle":
            toggles.append(name)
        return render(self, name, *args, **kwargs)

    monkeypatch.setattr(widgets.UnfoldBooleanWidget, "render", counted)
    page = client_for(registrar).get(LIST).content.decode()
    assert len(freshmen_a) > 1 and page.count('name="_selected_action"') == len(freshmen_a)
    assert len(toggles) == 1


def test_each_rows_checkbox_is_the_one_unfold_renders(client_for, registrar, freshmen_a):
    page = client_for(registrar).get(LIST).content.decode()
    record = freshmen_a[0]
    expected = unfold_admin.checkbox.render(unfold_admin.helpers.ACTION_CHECKBOX_NAME, str(record.pk))
    assert expected in page
    assert len(re.findall(r'<input type="checkbox" name="_selected_action"', page)) == len(freshmen_a)
