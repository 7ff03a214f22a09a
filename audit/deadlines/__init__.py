"""The deadline engine (时限): rules as data, a registry of rule kinds, the daily scan, reminders, reports.

Domain apps register their kinds from their own ``deadlines`` module (see
``audit.deadlines.registry``); ``audit`` itself imports no domain app.
"""
