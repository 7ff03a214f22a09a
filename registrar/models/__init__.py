"""The core domain: school, colleges, majors, terms, students, users and the work calendar.

One module per concern; every model is importable from ``registrar.models`` as before.
"""

# isort: off
# In the order the models were declared when this was one module, so that the app registry (and with
# it content types and permissions in a new database) lists them in the same order.
from registrar.models.school import AcademicYear, College, DeadlinePolicy, Major, School, Term
from registrar.models.students import HistoricalStudent, Student
from registrar.models.users import User
from registrar.models.calendar import ScheduleYear, WorkdayOverride
from registrar.models.batches import Batch, BatchAttachment, BatchKind, BatchState
from registrar.models.outbox import OutboxMessage
from registrar.models.lockouts import SignInLockout
from registrar.models.notices import Notice
from registrar.models.exports import ExportEvent
# isort: on

__all__ = [
    "AcademicYear",
    "Batch",
    "BatchAttachment",
    "BatchKind",
    "BatchState",
    "College",
    "DeadlinePolicy",
    "ExportEvent",
    "HistoricalStudent",
    "Major",
    "Notice",
    "OutboxMessage",
    "ScheduleYear",
    "School",
    "SignInLockout",
    "Student",
    "Term",
    "User",
    "WorkdayOverride",
]
