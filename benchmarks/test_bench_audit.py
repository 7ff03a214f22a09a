"""Benchmark: recording 100,000 audit events in one bulk write on PostgreSQL (make bench; issue 9, item 10).

The events a set-based move of 100,000 rows records (``audit_record_many``: the
chain's lock, each event encoded and chained with its keyed hash, COPY into the
table), timed inside one transaction with its commit. The yardstick is the bare
work of the chain on the same events: one JSON line and one HMAC-SHA256 each.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import EventSpec, audit_record_many
from benchmarks.figures import figure, timed

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EVENTS = 100_000


def _specs() -> list[EventSpec]:
    return [
        EventSpec(
            action="enrollment.record.register",
            subject=("enrollment.admissionrecord", n),
            before={"state": "admitted"},
            after={"state": "registered", "student_id": n},
            reason="2026级新生资格审查：通过",
            document_number="教学〔2026〕1号",
            student_id=None,
            college_id=None,
        )
        for n in range(1, EVENTS + 1)
    ]


def _chained_hmac(specs: list[EventSpec]) -> str:
    previous = "0" * 64
    for spec in specs:
        line = json.dumps(
            [previous, spec.action, spec.subject, spec.before, spec.after, spec.reason, spec.document_number],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        previous = hmac.new(b"k" * 32, line.encode(), hashlib.sha256).hexdigest()
    return previous


def test_bench_bulk_audit_recording():
    specs = _specs()
    yardstick = timed(lambda: _chained_hmac(specs))[0]

    def record() -> int:
        with transaction.atomic():
            return audit_record_many(specs)

    seconds, _peak, recorded = timed(record)
    assert recorded == EVENTS
    assert AuditEvent.objects.count() == EVENTS
    figure(
        "audit",
        f"record {EVENTS:,} events in one bulk write",
        EVENTS / seconds,
        "events/s",
        yardstick=EVENTS / yardstick,
        yardstick_label="JSON line and HMAC-SHA256 per event alone",
        note=f"{seconds:.2f} s, commit included",
    )
