"""Every URL of the URL conf, as every role, against another college's and another student's objects (SEC-2).

The URLs come from ``get_resolver()``, so a new page or endpoint joins the matrix by
itself; one whose parameters the matrix cannot fill fails the test until it is
classified here. A probe (anonymous, student A, college A's staff) must never get a
200 for an object of college B or student B, nor see any of their names or numbers
in a list; no one gets a 500.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from annual_registration.models import StatusChange
from enrollment.models import AdmissionRecord
from registrar.models import Batch, BatchAttachment, Student, User
from tests.security.world import TOKEN, World

PROBES = ("anonymous", "student_a", "college_a_staff")
ROLES = (*PROBES, "auditor", "registrar", "admin")
# Pages that end the session; the client signs in again after them.
SIGN_OUT = {"logout", "admin:logout"}
# Parameters that name a fixed thing rather than an object.
FIXED = {"token": TOKEN, "fmt": "xlsx", "format": "json", "app_label": "enrollment", "url": "no-such-page/"}


@dataclass(frozen=True)
class Probe:
    url: str
    name: str
    #: The B object the URL points at, when it points at one a probe must not see.
    scoped_object: models.Model | None
    posts: bool


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, object]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from walk(pattern, prefix + str(pattern.pattern), inner.strip(":"))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else f"{namespace}:<unnamed>"
            yield prefix + str(pattern.pattern), name, pattern.callback


def model_of(route: str, callback) -> type[models.Model] | None:
    """The model whose object the route's id names: the admin's, or the API view's serializer's."""
    admin_match = re.match(r"admin/(\w+)/(\w+)/", route)
    if (admin_match and apps.is_installed(admin_match[1])) or (
        admin_match and admin_match[1] in ("auth", "axes")
    ):
        try:
            return apps.get_model(admin_match[1], admin_match[2])
        except LookupError:
            return None
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    serializer = getattr(view_class, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def is_scoped(model: type[models.Model]) -> bool:
    """Rows that college staff see only for their colleges (or not at all), students only their own."""
    return not getattr(model.objects.all(), "public", True) or model is User


def object_for(world: World, model: type[models.Model] | None, route: str) -> models.Model:
    if model in world.objects:
        return world.objects[model]
    if model is not None and not is_scoped(model):
        # Not school data (accounts' lockouts, groups, reference tables): any row, or an unknown id.
        return model.objects.first() or model(pk=0)
    pytest.fail(f"the matrix cannot fill {route!r}: add an object of {model} to tests/security/world.py")


def fill(world: World, route: str, name: str, callback) -> Probe:
    """The route with every parameter filled by B's object (or a fixed value); loud if it cannot be."""
    model = model_of(route, callback)
    scoped: models.Model | None = None
    values: dict[str, str] = {}
    for param in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
        param = param[0] or param[1]
        if param in FIXED:
            values[param] = FIXED[param]
        elif param in ("pk", "object_id") and name != "admin:view_on_site":
            obj = object_for(world, model, route)
            values[param], scoped = str(obj.pk), obj if is_scoped(type(obj)) else None
        elif param in ("batch_id", "record_id", "change_id", "id", "attachment_id"):
            by_param = {
                "batch_id": Batch,
                "attachment_id": BatchAttachment,
                "record_id": AdmissionRecord,
                "change_id": StatusChange,
                "id": User,
            }
            obj = world.objects[by_param[param]]
            values[param], scoped = str(obj.pk), obj
        elif name == "admin:view_on_site" and param in ("content_type_id", "object_id"):
            student = world.objects[Student]
            values[param] = str(
                ContentType.objects.get_for_model(Student).pk if param != "object_id" else student.pk
            )
            scoped = student
        else:
            pytest.fail(f"the matrix cannot fill parameter {param!r} of {route!r} ({name}): classify it")
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], url)
    if "([^/]+)" in url:  # simple-history's version page: object id, then version id
        student = world.objects[Student]
        url = url.replace("([^/]+)", str(student.pk), 1).replace("([^/]+)", str(world.history_id), 1)
        scoped = student
    url = "/" + url.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "")
    if re.search(r"[\\()\[\]*+?]", url):
        pytest.fail(f"the matrix cannot fill {route!r} ({name}): classify it")
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    actions = getattr(callback, "actions", None)
    posts = "post" in actions if actions else not view_class or hasattr(view_class, "post")
    return Probe(url=url, name=name, scoped_object=scoped, posts=posts)


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", "") and content.startswith(b"PK"):
        sheets = load_workbook(io.BytesIO(content), read_only=True).worksheets
        return " ".join(str(c) for s in sheets for row in s.iter_rows(values_only=True) for c in row if c)
    return content.decode("utf-8", "ignore")


@pytest.fixture(scope="module")
def probes(world) -> list[Probe]:
    return [fill(world, route, name, cb) for route, name, cb in walk(get_resolver())]


@pytest.mark.rule("SEC-2")
@pytest.mark.parametrize("role", ROLES)
def test_no_url_shows_another_colleges_or_students_data_and_none_answers_500(db, world, probes, role):
    user = world.users[role]
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    problems: list[str] = []
    checked = sightings = 0
    for probe in probes:
        for method in ("get", "post") if probe.posts else ("get",):
            response = getattr(client, method)(probe.url)
            checked += 1
            if probe.name in SIGN_OUT and user is not None:
                client.force_login(user)
            where = f"{method.upper()} {probe.url} ({probe.name}) as {role}: {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"server error: {where}")
                continue
            if response.status_code not in (200, 201):
                continue
            if role not in PROBES:
                # The school-wide roles do see B's people: proof that the markers would show a leak.
                sightings += any(m in body_text(response) for m in world.markers)
                continue
            if probe.scoped_object is not None:
                problems.append(f"leak of {probe.scoped_object!r}: {where}")
                continue
            hidden = world.markers + (world.classmate_markers if role == "student_a" else [])
            shown = [m for m in hidden if m in body_text(response)]
            if shown:
                problems.append(f"leak of {shown}: {where}")
    assert checked > 200
    assert role in PROBES or sightings > 5
    assert problems == [], "\n".join(problems)
