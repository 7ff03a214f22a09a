"""Read-only API of the core domain; every queryset goes through ``for_user``."""

from rest_framework import serializers, viewsets

from registrar.idcard import mask
from registrar.models import College, Major, Student


class CollegeSerializer(serializers.ModelSerializer):
    class Meta:
        model = College
        fields = ["id", "code", "name"]


class MajorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Major
        fields = ["id", "code", "name", "college", "level", "program_years"]


class StudentSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text="证件号码（脱敏）")
    student_status_display = serializers.CharField(source="get_student_status_display", read_only=True)

    class Meta:
        model = Student
        fields = [
            "id",
            "student_number",
            "exam_number",
            "name",
            "gender",
            "birth_date",
            "id_type",
            "id_number",
            "college",
            "major",
            "level",
            "study_mode",
            "entry_date",
            "student_status",
            "student_status_display",
        ]

    def get_id_number(self, obj: Student) -> str:
        return mask(obj.id_number)


class CollegeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CollegeSerializer

    def get_queryset(self):
        return College.objects.for_user(self.request.user)


class MajorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MajorSerializer
    filterset_fields = ["college", "level"]

    def get_queryset(self):
        return Major.objects.for_user(self.request.user)


class StudentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StudentSerializer
    filterset_fields = ["college", "major", "student_status", "level"]

    def get_queryset(self):
        return Student.objects.for_user(self.request.user).order_by("pk")
