"""The store's alembic scripts: env.py and one revision per schema change (versions/).

They ship inside the package and are found through ``importlib.resources``, so a store
upgrades itself on open with no alembic.ini at run time (actiontrack.store.migrations).
Developers add a revision with ``python -m actiontrack.store.migrations revision -m …``.
"""
