"""Bulk audit writes encode events their own quick way: the same JSON, the same hashes, stored as given."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from audit.chain import canonical_json, canonical_json_fast, event_hash, verify_chain
from audit.chain_keys import key_id_of
from audit.copy_text import copy_text
from audit.models import GENESIS_HASH, AuditEvent
from audit.services import COPY_THRESHOLD, EventSet, EventSpec, audit_record_many, audit_record_set

pytestmark = pytest.mark.rule("SEC-3")

MOMENT = datetime.datetime(2026, 9, 7, 8, 30, 1, 123456, tzinfo=datetime.UTC)
# Two events and their hashes as the code before the quick encoding computed them, unkeyed and keyed.
GOLDEN = dict(
    occurred_at=MOMENT,
    actor_id=7,
    actor_name="registrar",
    action="deadline.violation.open",
    subject_type="audit.deadlineviolation",
    subject_id="42",
    student_id=11,
    college_id=3,
    before={"state": "open"},
    after={
        "rule": "enr-5",
        "due": datetime.date(2026, 9, 7),
        "days_late": 3,
        "名": '张三\t"\\\n\u2028\x01',
        "n": [1, None, True, {"x": False}],
        "years": Decimal("4.0"),
    },
    reason="时限检查：新生复查",
    document_number="教学〔2026〕1号",
)
GOLDEN_NEXT = {**GOLDEN, "subject_id": "43", "before": {}, "after": {}}
GOLDEN_HASHES = {
    None: (
        "6be046db76209c42ca175415d02d339f8c2a2fea64871105f8585478004a0185",
        "d496bca0a9c014ab7981f847e988947c56b27e1a63978fc03dffa878c19946ea",
    ),
    b"golden-key": (
        "f09f36e00b3d124f578e8677103c5a2f3ee818a2803ce18b941424a954df2790",
        "870544a79d958fdd4b3194a0d68b9ec5f26592f41ac7ab12e0de11fc4974c623",
    ),
}

# What events carry in before/after: JSON's own values, and the dates and decimals the encoder writes as text.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.text(alphabet=st.sampled_from('\\"\t\n\r\x00\x1f\x7f\u2028\u3000张')),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.just(datetime.UTC))),
    st.decimals(allow_nan=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=16,
)
# Text for COPY: whatever PostgreSQL's text columns hold (every character but NUL).
TEXT = st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=20) | st.sampled_from(
    ["\\N", "\\.", "\\", "\t", "\r\n", "a\\tb"]
)


@pytest.mark.parametrize("key", [None, b"golden-key"], ids=["plain SHA-256", "keyed"])
def test_an_events_hash_is_the_one_the_code_before_computed(key):
    first = event_hash(**GOLDEN, prev_hash=GENESIS_HASH, key=key)
    assert (first, event_hash(**GOLDEN_NEXT, prev_hash=first, key=key)) == GOLDEN_HASHES[key]


@pytest.mark.django_db
def test_a_chain_stored_before_the_quick_encoding_verifies_and_new_events_follow_it(settings):
    settings.AUDIT_CHAIN_KEY = "golden-key"
    previous = GENESIS_HASH
    for fields, hash_ in zip([GOLDEN, GOLDEN_NEXT], GOLDEN_HASHES[b"golden-key"], strict=True):
        before, after = (json.loads(canonical_json(fields[name])) for name in ("before", "after"))
        AuditEvent.objects.create(
            **{**fields, "before": before, "after": after},
            prev_hash=previous,
            hash=hash_,
            key_id=key_id_of(b"golden-key"),
        )
        previous = hash_
    with transaction.atomic():
        audit_record_many(
            [EventSpec(action="test.event", subject=("test.thing", i), after={"n": i}) for i in range(2001)]
        )
    assert verify_chain() == (2 + 2001, None)


@given(value=VALUES)
def test_the_quick_json_is_the_canonical_json(value):
    assert canonical_json_fast(value) == canonical_json(value)


def copy_lines_read(text: str) -> list[list[str | None]]:
    """COPY's text format read back by PostgreSQL's rules for what ``copy_text`` writes."""
    escapes = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    assert text.endswith("\n")
    return [
        [
            None if field == "\\N" else re.sub(r"\\(.)", lambda m: escapes[m[1]], field)
            for field in line.split("\t")
        ]
        for line in re.split(r"\r\n|\r|\n", text[:-1])  # each ends a line
    ]


@given(
    texts=st.lists(TEXT, min_size=5, max_size=5),
    ids=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=2**62)), min_size=3, max_size=3),
    value=VALUES,
)
def test_copy_text_reads_back_as_the_values_it_was_given(texts, ids, value):
    actor_name, action, subject_id, reason, document_number = texts
    after_json = canonical_json(value)
    row = [MOMENT, ids[0], actor_name, action, "test.thing", subject_id, ids[1], ids[2], "{}", after_json]
    rows = [[*row, reason, document_number], [*row, "", ""]]
    (first, second) = copy_lines_read(copy_text(rows, ["1" * 64, "2" * 64], "0" * 64, "abcd1234"))
    strings = [None if v is None else str(v) for v in row[1:]]
    assert first == [MOMENT.isoformat(), *strings, reason, document_number, "0" * 64, "1" * 64, "abcd1234"]
    assert second == [MOMENT.isoformat(), *strings, "", "", "1" * 64, "2" * 64, "abcd1234"]


@pytest.mark.django_db
def test_text_that_copy_would_misread_is_stored_as_given():
    tricky = ["\\", "\\N", "\\.", "a\tb", "a\nb", "a\rb", "\r\n", '"q",', "张三\u2028", "\x01\x1f\x7f", ""]
    specs = [
        EventSpec(
            action="test.event",
            subject=("test.thing", tricky[i % len(tricky)] + str(i)),
            after={"v": tricky[i % len(tricky)], tricky[i % len(tricky)]: [i]},
            reason=tricky[i % len(tricky)],
            document_number=tricky[(i + 1) % len(tricky)],
        )
        for i in range(COPY_THRESHOLD + 1)
    ]
    with transaction.atomic():
        audit_record_many(specs)
    stored = AuditEvent.objects.order_by("id").values_list("subject_id", "after", "reason", "document_number")
    assert list(stored) == [(s.subject[1], s.after, s.reason, s.document_number) for s in specs]
    assert verify_chain() == (COPY_THRESHOLD + 1, None)


@pytest.mark.django_db
def test_a_bulk_write_with_a_value_json_cannot_hold_raises_the_encoders_error_and_writes_nothing():
    specs = [EventSpec(action="test.event", subject=("test.thing", i)) for i in range(COPY_THRESHOLD + 1)]
    specs[-1].after = {"x": object()}
    with pytest.raises(TypeError, match="not JSON serializable"), transaction.atomic():
        audit_record_many(specs)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_set_write_stores_one_event_per_row_in_order_and_the_chain_verifies(registrar):
    """audit_record_set (the roll's path): the events of every part, hashed while the next part is written."""
    shared = {"state": "pending"}
    parts = [
        [(n, n * 10, 7, shared if n % 2 else {"n": n}) for n in range(start, start + 700)]
        for start in (0, 700, 1400)
    ]
    with transaction.atomic():
        count = audit_record_set(
            EventSet(action="test.open", subject_type="test.thing", actor=registrar), iter(parts)
        )
    stored = (
        AuditEvent.objects.filter(action="test.open")
        .order_by("id")
        .values_list("subject_id", "student_id", "after", "actor_name")
    )
    assert count == 2100 and list(stored) == [
        (str(n), n * 10, shared if n % 2 else {"n": n}, "registrar") for n in range(2100)
    ]
    assert verify_chain() == (2101, None)  # and the registrar's own creation


@pytest.mark.django_db
def test_a_set_write_stores_text_that_copy_would_misread_as_given():
    tricky = ["\\", "\\N", "a\tb", "a\nb", "a\rb", "张三\u2028", ""]
    rows = [(f"{text}{n}", None, None, {"v": text}) for n, text in enumerate(tricky)]
    with transaction.atomic():
        audit_record_set(EventSet(action="test.open", subject_type="test.thing", reason="\t"), [rows])
    stored = AuditEvent.objects.order_by("id").values_list("subject_id", "after", "reason")
    assert list(stored) == [(subject, after, "\t") for subject, _student, _college, after in rows]
    assert verify_chain() == (len(tricky), None)


@pytest.mark.django_db
def test_a_set_write_whose_statement_fails_midway_writes_no_event():
    def parts():
        yield [(n, None, None, {}) for n in range(COPY_THRESHOLD)]
        raise RuntimeError("the second window's INSERT failed")

    with pytest.raises(RuntimeError, match="second window"), transaction.atomic():
        audit_record_set(EventSet(action="test.open", subject_type="test.thing"), parts())
    assert not AuditEvent.objects.exists()
