"""Findings: the problems validation's checks found, as rows that validation writes and staff read.

They sit below both: validation (Celery tasks, checks) writes them, the queries read them, so neither has to
import the other's side.
"""
