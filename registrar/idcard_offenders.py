"""Id numbers already stored in a form the ENR-6 check constraints refuse, found before they are added.

The migrations that add ``id_number_check`` run ``refuse_offenders`` first. It
changes nothing: it lists every offending row (table, id, its exam or student
number, the reason, the masked number) and stops the migration. A look-alike
number is usually a second record of a real person, and changing an identity
number is an identity correction (ENR-8) with its own history and audit event,
so the registrar decides each case; the migration is run again once the list is empty.
"""

from __future__ import annotations

import logging

from django.db.models import Model

from registrar.idcard import IdNumberError, clean_id_number, in_stored_form, mask

logger = logging.getLogger("registrar.idcard")


class IdNumberOffenders(RuntimeError):
    """Rows whose id numbers the new constraint would refuse; the message lists them."""


def offenders(model: type[Model], label_field: str) -> list[str]:
    """One line per row of ``model`` whose id number is not in its stored form."""
    lines = []
    rows = model._default_manager.exclude(in_stored_form()).order_by("pk")
    for pk, id_type, number, label in rows.values_list("pk", "id_type", "id_number", label_field):
        try:
            cleaned = clean_id_number(id_type, number)
        except IdNumberError as exc:
            reason = str(exc)
        else:
            reason = f"规范化后为{mask(cleaned)}，可能与同一人的另一条记录重复"
        lines.append(f"{model._meta.db_table} #{pk}（{label or '-'}，{mask(number)}）：{reason}")
    return lines


def refuse_offenders(model: type[Model], label_field: str) -> None:
    """Stop the migration with the list of offending rows (ENR-6), or do nothing when there are none."""
    lines = offenders(model, label_field)
    if not lines:
        return
    for line in lines:
        logger.error("证件号码不合规：%s", line)
    raise IdNumberOffenders(
        f"有{len(lines)}条记录的证件号码含全角、其他文字的数字或其他字符，"
        "数据库约束无法添加。请逐条核实：同一人的重复记录办理取消，"
        "号码录入有误的经更正流程（ENR-8）改正，然后重新执行迁移。\n" + "\n".join(lines)
    )
