"""Trackers behind one interface (base.Tracker): one module per tracker.

Only the configured tracker's module is imported (`open_tracker`), so a Jira user
never loads PyGithub and the offline commands load neither.
"""
