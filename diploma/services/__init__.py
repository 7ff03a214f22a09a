"""Every write of diploma registration: one service per decision, one transaction, its audit events."""
