"""Reads of the supervisors' side: every figure is a database aggregation (house rule 3)."""
