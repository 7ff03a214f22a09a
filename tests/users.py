"""The named users' password (STYLE: registrar, college_a_staff, college_b_staff, auditor, student_a)."""

PASSWORD = "Test-pass-2026!"
