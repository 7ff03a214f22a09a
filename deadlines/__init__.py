"""The deadline engine (时限): rules as data, a registry of rule kinds, the daily scan, reminders, reports.

Domain apps register their kinds from their own ``deadlines`` module (see
``deadlines.registry``). The engine sits above the core and the audit trail:
it uses ``registrar`` and ``audit``, and neither of them imports it.
"""
