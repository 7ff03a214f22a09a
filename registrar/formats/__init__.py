"""Date formats of the staff and student pages: one format everywhere (issue 10, item 1)."""
