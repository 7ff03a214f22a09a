"""The demo's photos (DIP-9): a cohort's capture list and zip through the services, a few problems left to fix."""

from types import SimpleNamespace

import pytest

from diploma import demo_photos
from diploma.models import CheckState, PhotoCapture, PhotoRetake
from diploma.precheck import ProblemKind, precheck_report
from tests.diploma.builders import cohort, graduating

pytestmark = [pytest.mark.django_db, pytest.mark.rule("DIP-9")]


def test_the_demo_leaves_each_kind_of_photo_problem_once_or_twice(registrar, school, major_a):
    graduates = cohort(registrar, graduating(major_a, 10))
    demo_photos.load(SimpleNamespace(users={"registrar": registrar}), graduates)
    states = [c.check_state for c in PhotoCapture.objects.exclude(image="")]
    assert states.count(CheckState.CONFIRMED) == 4 and states.count(CheckState.DISPUTED) == 1
    assert PhotoRetake.objects.count() == 1
    photo_problems = [
        p.detail
        for c in precheck_report(registrar, 2026).checks
        for p in c.problems
        if p.kind == ProblemKind.PHOTO
    ]
    assert sorted(photo_problems) == sorted(
        ["没有图像采集记录，须登记补拍"] * 2
        + ["照片尚未导入", "学生校对时报告有误"]
        + ["学生尚未校对确认"] * 2
    )
