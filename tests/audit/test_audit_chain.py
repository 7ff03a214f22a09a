"""The audit trail (SEC-3): append-only, hash-chained, checked by audit_verify."""

import datetime
import hashlib
import hmac

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import DatabaseError
from hypothesis import given
from hypothesis import strategies as st

from audit.chain import canonical_json, event_content, event_hash, event_hash_of_text, utc_text, verify_chain
from audit.models import GENESIS_HASH, AuditEvent
from audit.services import COPY_THRESHOLD, EventSpec, audit_record, audit_record_many
from registrar.services import student_change_status

pytestmark = pytest.mark.django_db


def record(n: int, actor=None) -> None:
    with transaction.atomic():
        audit_record_many(
            [EventSpec(action="test.event", subject=("test.thing", i), after={"n": i}) for i in range(n)]
        )


def test_a_status_change_records_actor_reason_document_number_and_values(registrar, student_a_record):
    student_change_status(
        actor=registrar,
        student_id=student_a_record.pk,
        transition="suspend",
        reason="病休",
        document_number="校〔2026〕3号",
    )
    event = AuditEvent.objects.filter(action="registrar.student.suspend").get()
    assert (event.actor, event.reason, event.document_number) == (registrar, "病休", "校〔2026〕3号")
    assert (event.before, event.after) == ({"student_status": "in_school"}, {"student_status": "suspended"})
    assert event.student_id == student_a_record.pk


def test_events_chain_from_the_genesis_hash():
    record(3)
    first, second, third = AuditEvent.objects.order_by("id")
    assert first.prev_hash == GENESIS_HASH
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert verify_chain() == (3, None)


def test_a_bulk_write_chains_as_many_single_writes_would(registrar):
    with transaction.atomic():
        audit_record(actor=registrar, action="test.single", subject=("test.thing", "x"))
    record(COPY_THRESHOLD + 5)
    # the registrar's account, the single event and the bulk
    assert verify_chain() == (COPY_THRESHOLD + 7, None)


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="test.loose", subject=("test.thing", 1))


def test_audit_verify_reports_an_intact_chain(capsys):
    record(2)
    call_command("audit_verify")
    assert "审计链完整：共核对2条事件" in capsys.readouterr().out


@pytest.mark.postgres
def test_the_database_refuses_to_update_or_delete_an_event():
    record(1)
    event = AuditEvent.objects.get()
    # Around the services on purpose: the database's own refusal.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="改过")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_a_user_student_or_college_that_events_name_cannot_be_deleted(registrar, student_a_record):
    """Events keep plain ids (no database keys, to spare bulk writes their checks); the ORM still protects them."""
    student_change_status(
        actor=registrar,
        student_id=student_a_record.pk,
        transition="suspend",
        reason="病休",
        document_number="1",
    )
    for obj in (student_a_record, registrar, student_a_record.college):
        with pytest.raises(ProtectedError), transaction.atomic():
            obj.delete()
    assert AuditEvent.objects.filter(student=student_a_record, actor=registrar).exists()


@pytest.mark.postgres
def test_audit_verify_finds_a_row_changed_behind_the_applications_back():
    record(4)
    third = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        # A superuser switches triggers off for the session and edits a row.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET reason = 'tampered' WHERE id = %s", [third.pk])
        cursor.execute("SET session_replication_role = origin")
    with pytest.raises(CommandError, match=f"第3条事件（id={third.pk}）处断开：内容与哈希不符"):
        call_command("audit_verify")


def test_audit_verify_finds_a_deleted_event():
    record(3)
    events = list(AuditEvent.objects.order_by("id"))
    _checked, broken = verify_chain([events[0], events[2]])
    assert (broken.event_id, broken.position) == (events[2].pk, 2)
    assert "前一事件哈希不符" in broken.reason


@pytest.mark.parametrize("count", [1, COPY_THRESHOLD + 1])
def test_dates_and_decimals_in_values_keep_the_chain_verifiable(count):
    import datetime
    from decimal import Decimal

    with transaction.atomic():
        audit_record_many(
            [
                EventSpec(
                    action="test.values",
                    subject=("test.thing", i),
                    before={"birth_date": datetime.date(2007, 5, 1), "program_years": Decimal("4.0")},
                    after={"at": datetime.datetime(2026, 9, 7, 8, 0, tzinfo=datetime.UTC), "名": "张三"},
                )
                for i in range(count)
            ]
        )
    assert verify_chain() == (count, None)
    assert AuditEvent.objects.order_by("id").first().before == {
        "birth_date": "2007-05-01",
        "program_years": "4.0",
    }


@given(
    text=st.text(max_size=40),
    number=st.one_of(st.none(), st.integers(min_value=0, max_value=2**62)),
    values=st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=12), st.integers(), st.none())),
)
def test_the_spliced_hash_is_the_hash_of_the_defined_content(text, number, values):
    """The fast path that bulk writes use hashes exactly the one canonical JSON array an event is defined by."""
    moment = datetime.datetime(2026, 9, 7, 8, 30, 1, 123456, tzinfo=datetime.UTC)
    fields = dict(
        actor_id=number,
        actor_name=text,
        action="enrollment.review.register",
        subject_type="enrollment.admissionrecord",
        subject_id=number if number is not None else text,
        student_id=number,
        college_id=None,
        reason=text + '\u2028"\\\n\x00',
        document_number="教学〔2026〕1号",
        prev_hash=GENESIS_HASH,
    )
    content = event_content(occurred_at=moment, before=values, after={"x": values}, **fields)
    expected = hashlib.sha256(content.encode()).hexdigest()
    assert event_hash(occurred_at=moment, before=values, after={"x": values}, **fields) == expected
    assert (
        event_hash_of_text(
            occurred_at=utc_text(moment),
            before_json=canonical_json(values),
            after_json=canonical_json({"x": values}),
            **fields,
        )
        == expected
    )
    # Keyed events hash the same content under HMAC-SHA256, through the same splicing (SEC-3).
    key = b"audit-chain-test-key"
    keyed = hmac.new(key, content.encode(), hashlib.sha256).hexdigest()
    assert event_hash(occurred_at=moment, before=values, after={"x": values}, key=key, **fields) == keyed


@pytest.mark.parametrize("count", [3, COPY_THRESHOLD + 1])
def test_events_hashed_beside_the_rest_of_a_write_are_written_only_when_it_succeeds(count):
    """``meanwhile`` runs the write's own statements while a worker thread hashes the events."""
    specs = [EventSpec(action="test.event", subject=("test.thing", i), after={"n": i}) for i in range(count)]
    ran = []
    with transaction.atomic():
        assert audit_record_many(specs, meanwhile=lambda: ran.append(True)) == count
    assert ran == [True] and AuditEvent.objects.count() == count
    assert verify_chain() == (count, None)

    def fails():
        raise RuntimeError("部分录取数据已被他人处理")

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record_many(specs, meanwhile=fails)
    assert AuditEvent.objects.count() == count
