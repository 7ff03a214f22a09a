"""factory_boy factories for reference data and students (created in state ``in_school``)."""

import datetime
from decimal import Decimal

import factory

from registrar import codes
from registrar.idcard import make_id_number
from registrar.models import AcademicYear, College, Major, School, Student, Term


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["code"]

    code = "10999"
    name = "示范大学"
    president_name = "王校长"


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}学院")


class MajorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Major

    code = factory.Sequence(lambda n: f"08{n:04d}")
    name = factory.Sequence(lambda n: f"专业{n}")
    college = factory.SubFactory(CollegeFactory)
    level = codes.Level.BACHELOR
    program_years = Decimal("4")


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ["start_year"]

    start_year = 2026


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ["academic_year", "number"]

    academic_year = factory.SubFactory(AcademicYearFactory)
    number = 1
    start_date = datetime.date(2026, 9, 7)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    name = factory.Sequence(lambda n: f"学生{n}")
    gender = codes.Gender.MALE
    ethnicity = codes.Ethnicity.HAN
    birth_date = datetime.date(2007, 3, 15)
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number("110101", o.birth_date, n, o.gender)
    )
    exam_number = factory.Sequence(lambda n: f"26110101{n:06d}")
    # Eleven digits: the service numbers freshmen with ten (enrollment/services/registration.py), so a
    # factory student never takes a number the service gives next, whatever ran before in the process.
    student_number = factory.Sequence(lambda n: f"2026{n:07d}")
    major = factory.SubFactory(MajorFactory)
    college = factory.LazyAttribute(lambda o: o.major.college)
    level = factory.LazyAttribute(lambda o: o.major.level)
    program_years = factory.LazyAttribute(lambda o: o.major.program_years)
    entry_date = datetime.date(2026, 9, 7)
