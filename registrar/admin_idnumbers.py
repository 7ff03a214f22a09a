"""Id numbers on staff pages: masked in object history unless the user may see them in full (SEC-2)."""

from __future__ import annotations

from typing import Any

from simple_history.template_utils import HistoricalRecordContextHelper

from registrar.idcard import mask, sees_full_id_numbers


class MaskedIdHistoryHelper(HistoricalRecordContextHelper):
    """The history page's "changes" column with old and new id numbers masked."""

    def prepare_delta_change_value(self, change, value) -> Any:
        if change.field == "id_number" and value:
            return mask(str(value))
        return super().prepare_delta_change_value(change, value)


class IdNumberHistoryMasking:
    """Admin mixin: a history page shows an id number change masked to everyone but the registrar office."""

    def get_historical_record_context_helper(self, request, historical_record):
        if sees_full_id_numbers(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedIdHistoryHelper(self.model, historical_record)
