"""Every write of freshman registration. Views, the API, the admin and commands call only these."""

from enrollment.services.admission_import import ImportResult, admission_import
from enrollment.services.corrections import (
    correction_answer,
    correction_apply,
    correction_create,
    correction_send,
)
from enrollment.services.records import (
    DATED_TRANSITIONS,
    admission_clear_conflict,
    admission_open_lapsed_deferrals,
    admission_rereview,
    admission_rereview_pass_many,
    admission_transition,
)
from enrollment.services.review import (
    ItemInput,
    default_deferral_end,
    review_batch_approve,
    review_batch_create,
    review_batch_return,
    review_batch_submit,
    review_items_fill,
    review_items_from_sheet,
    review_items_save,
    review_problems,
)
from enrollment.services.students import (
    admission_confirm,
    admission_report_error,
    data_report_resolve,
    own_record,
    student_passwords_issue,
)
from enrollment.services.transitions import Step, admission_apply_steps, outcome_sources, path_to

__all__ = [
    "DATED_TRANSITIONS",
    "ImportResult",
    "ItemInput",
    "Step",
    "admission_apply_steps",
    "admission_clear_conflict",
    "admission_confirm",
    "admission_import",
    "admission_open_lapsed_deferrals",
    "admission_report_error",
    "admission_rereview",
    "admission_rereview_pass_many",
    "admission_transition",
    "correction_answer",
    "correction_apply",
    "correction_create",
    "correction_send",
    "data_report_resolve",
    "default_deferral_end",
    "outcome_sources",
    "own_record",
    "path_to",
    "review_batch_approve",
    "review_batch_create",
    "review_batch_return",
    "review_batch_submit",
    "review_items_fill",
    "review_items_from_sheet",
    "review_items_save",
    "review_problems",
    "student_passwords_issue",
]
