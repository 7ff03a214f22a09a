"""入学资格审查名单 in the API (ENR-2): the core's batch API with the review list's items."""

from __future__ import annotations

from rest_framework import serializers

from enrollment.models import ReviewItem
from registrar.api_batches import BatchViewSet, documented
from registrar.batch_kinds import ItemInput
from registrar.models import BatchKind


class ReviewItemSerializer(serializers.ModelSerializer):
    """One freshman of a review list: 考生号, the review outcome, a deferral's end, the reason."""

    exam_number = serializers.CharField(source="record.exam_number")
    name = serializers.CharField(source="record.name", read_only=True)

    class Meta:
        model = ReviewItem
        fields = ["id", "exam_number", "name", "outcome", "deferral_end", "reason"]


@documented
class ReviewBatchViewSet(BatchViewSet):
    """入学资格审查名单: create, fill, submit, approve, return."""

    kind = BatchKind.FRESHMAN_REVIEW
    item_serializer = ReviewItemSerializer

    def item_input(self, data: dict, row: int) -> ItemInput:
        return ItemInput(
            key=data["record"]["exam_number"],
            outcome=data["outcome"],
            end_date=data.get("deferral_end"),
            reason=data.get("reason", ""),
            row=row,
        )
