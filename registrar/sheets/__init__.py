"""The sheet toolkit: reading untrusted xlsx and DBF files, and writing exports that no spreadsheet runs."""
