"""Odd query strings on the staff pages get a clear answer, never a 500 (SEC-1).

Every registered admin changelist, with a NUL byte and a 40-digit number in its
search box and in each of its filters' parameters.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from tests.security.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-1")]

ODD_VALUES = ["\x00", "a\x00b", "1" * 40, "-1", "１２"]


def filter_parameters(model_admin, request) -> list[str]:
    """The query parameters of the changelist's search box and filters."""
    changelist = model_admin.get_changelist_instance(request)
    names = ["q"] if model_admin.search_fields else []
    for spec in changelist.filter_specs:
        names += spec.expected_parameters()
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names


def test_no_admin_changelist_answers_500_to_odd_query_values(rf):
    world = build_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    problems = []
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        request = rf.get(url)
        request.user = world.users["admin"]
        for name in filter_parameters(model_admin, request):
            for value in ODD_VALUES:
                response = client.get(url, {name: value})
                if response.status_code >= 500:
                    problems.append(f"{url}?{name}={value!r}: {response.status_code}")
                elif response.status_code == 400:
                    assert "请求" in response.content.decode(), response.content
    assert problems == [], "\n".join(problems)
