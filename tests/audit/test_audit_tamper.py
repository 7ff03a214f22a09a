"""Whoever has the database but not the chain key cannot erase, cut or rewrite the audit trail unseen (SEC-3).

Each test does what a database superuser can do (triggers off for the
session, TRUNCATE, DELETE, UPDATE and re-hash) and expects ``audit_verify``
to say so.
"""

import json
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import chain_head, hash_of, verify_chain
from audit.chain_keys import current_key
from audit.checkpoints import checkpoint_path, checkpoint_write, checkpoints_read
from audit.models import GENESIS_HASH, AuditEvent
from audit.services import COPY_THRESHOLD, EventSpec, audit_record_many
from audit.tasks import verify_audit_chain

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-3")]


def record(n: int) -> None:
    with transaction.atomic():
        audit_record_many(
            [EventSpec(action="test.event", subject=("test.thing", i), after={"n": i}) for i in range(n)]
        )


def as_superuser(statement: str, params: list | None = None) -> None:
    """One statement with the append-only trigger off, as only a superuser may."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement, params)
        cursor.execute("SET session_replication_role = origin")


def rewrite_from(
    position: int, *, key: bytes | None, key_id: str | None = None, change: Callable | None = None
) -> None:
    """Change events from ``position`` on and re-hash them and all after, with ``key`` (the forger's guess)."""
    events = list(AuditEvent.objects.order_by("id"))
    previous = events[position - 2].hash if position > 1 else GENESIS_HASH
    for event in events[position - 1 :]:
        if change is not None:
            change(event)
        event.prev_hash = previous
        if key_id is not None:
            event.key_id = key_id
        event.hash = previous = hash_of(event, key)
        as_superuser(
            "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
            [event.reason, event.prev_hash, event.hash, event.key_id, event.pk],
        )


def verify_fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("audit_verify")


@pytest.mark.postgres
def test_truncating_the_events_is_reported_against_the_signed_checkpoint():
    record(3)
    last = chain_head()
    call_command("audit_verify", "--checkpoint")
    as_superuser("TRUNCATE audit_auditevent")
    assert verify_chain()[0] == 0
    verify_fails(f"第3条事件（id={last.last_id}）处断开：.*审计链被截断")


@pytest.mark.postgres
def test_deleting_the_tail_is_reported_against_the_signed_checkpoint():
    record(4)
    call_command("audit_verify", "--checkpoint")
    events = list(AuditEvent.objects.order_by("id"))
    as_superuser("DELETE FROM audit_auditevent WHERE id > %s", [events[1].pk])
    verify_fails(f"第4条事件（id={events[3].pk}）处断开：.*末尾的事件被删除")


@pytest.mark.postgres
@pytest.mark.parametrize("guess", [None, b"registrar"], ids=["plain SHA-256", "a guessed key"])
def test_an_event_rewritten_and_everything_after_it_re_hashed_is_reported(guess):
    record(4)
    second = AuditEvent.objects.order_by("id")[1]
    rewrite_from(2, key=guess, change=lambda event: setattr(event, "reason", "改过"))
    verify_fails(f"第2条事件（id={second.pk}）处断开：内容与哈希不符")


@pytest.mark.postgres
def test_a_rewrite_passed_off_as_events_from_before_keying_is_reported():
    record(3)
    second = AuditEvent.objects.order_by("id")[1]
    rewrite_from(2, key=None, key_id="", change=lambda event: setattr(event, "reason", "改过"))
    verify_fails(f"第2条事件（id={second.pk}）处断开：该事件没有密钥签名")


@pytest.mark.postgres
def test_a_whole_chain_re_hashed_as_if_before_keying_is_caught_by_the_checkpoint():
    """Unkeyed events verify as old ones; only the signed head outside the database tells the chain was rewritten."""
    record(3)
    call_command("audit_verify", "--checkpoint")
    rewrite_from(1, key=None, key_id="", change=lambda event: setattr(event, "reason", "改过"))
    third = AuditEvent.objects.order_by("id")[2]
    verify_fails(f"第3条事件（id={third.pk}）处断开：哈希与检查点.*记录的不符")


@pytest.mark.parametrize(
    ("key_id", "guess"), [(None, b"registrar"), ("", None)], ids=["a guessed key", "as before keying"]
)
def test_an_event_appended_without_the_key_is_reported(key_id, guess):
    record(2)
    last = AuditEvent.objects.order_by("-id").first()
    forged = AuditEvent(
        occurred_at=timezone.now(),
        actor_name="system",
        action="enrollment.review.register",
        subject_type="enrollment.admissionrecord",
        subject_id="999",
        after={"state": "registered"},
        prev_hash=last.hash,
        key_id=current_key()[0] if key_id is None else key_id,
    )
    forged.hash = hash_of(forged, guess)
    forged.save()
    _checked, broken = verify_chain()
    assert (broken.event_id, broken.position) == (forged.pk, 3)


@pytest.mark.postgres
def test_a_checkpoint_edited_to_match_a_cut_chain_is_reported():
    record(3)
    call_command("audit_verify", "--checkpoint")
    events = list(AuditEvent.objects.order_by("id"))
    as_superuser("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    line = json.loads(checkpoint_path().read_text())
    line.update(count=2, last_id=events[1].pk, head_hash=events[1].hash)
    checkpoint_path().write_text(json.dumps(line) + "\n")
    verify_fails("审计检查点文件第1行无效：签名不符")


def test_a_checkpoint_signed_with_another_key_is_reported(settings):
    record(2)
    settings.AUDIT_CHAIN_KEY = "someone-else-s-key"
    checkpoint_write(head=chain_head())
    settings.AUDIT_CHAIN_KEY = "the-registrar-s-key"
    assert verify_chain()[1].checkpoint_line == 1


def test_events_from_before_keying_still_verify_and_keyed_events_follow_them():
    """Chains recorded before keying (plain SHA-256, empty key id) keep verifying."""
    previous = GENESIS_HASH
    for n in range(2):
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor_name="system",
            action="test.legacy",
            subject_type="test.thing",
            subject_id=str(n),
            prev_hash=previous,
        )
        event.hash = previous = hash_of(event)
        event.save()
    record(2)
    assert (
        list(AuditEvent.objects.order_by("id").values_list("key_id", flat=True))
        == ["", ""] + [current_key()[0]] * 2
    )
    assert verify_chain() == (4, None)


def test_events_keyed_before_a_key_change_verify_while_the_old_key_is_kept(settings):
    settings.AUDIT_CHAIN_KEY = "the-old-key"
    record(2)
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_PREVIOUS_KEYS = "the-new-key", ["the-old-key"]
    record(1)
    assert verify_chain() == (3, None)
    settings.AUDIT_CHAIN_PREVIOUS_KEYS = []
    assert "不是本系统的密钥" in verify_chain()[1].reason


@pytest.mark.postgres
def test_the_daily_verify_signs_a_checkpoint_of_an_intact_chain_only():
    """SEC-6: the daily spot check anchors the head it found intact, and never a broken one."""
    record(2)
    assert verify_audit_chain() == {"checked": 2, "broken_event_id": None}
    (checkpoint,) = checkpoints_read()
    assert (checkpoint.count, checkpoint.last_id) == (2, AuditEvent.objects.order_by("id").last().pk)
    rewrite_from(2, key=b"guess")
    assert verify_audit_chain()["broken_event_id"] is not None
    assert len(checkpoints_read()) == 1


def test_a_bulk_write_signs_a_checkpoint_once_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record(COPY_THRESHOLD + 1)
    assert [c.count for c in checkpoints_read()] == [COPY_THRESHOLD + 1]
    assert verify_chain() == (COPY_THRESHOLD + 1, None)


def test_a_transaction_of_several_bulk_writes_signs_one_checkpoint(django_capture_on_commit_callbacks):
    """A deadline scan writes its events in chunks: one checkpoint of the final head, not one per chunk."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _chunk in range(2):
            audit_record_many(
                [EventSpec(action="test.event", subject=("test.thing", i)) for i in range(COPY_THRESHOLD + 1)]
            )
    assert [c.count for c in checkpoints_read()] == [2 * (COPY_THRESHOLD + 1)]


def test_a_small_write_signs_no_checkpoint(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record(3)
    assert checkpoints_read() == []
