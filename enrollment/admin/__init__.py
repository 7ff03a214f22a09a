"""Staff pages of freshman registration: admission data and its import, review lists and their decisions.

Every page reads through ``for_user`` and writes through ``enrollment.services``;
the buttons come from the transitions available to the user.
"""

from enrollment.admin import batches, records  # noqa: F401  (registers the pages)
