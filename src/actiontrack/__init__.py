"""actiontrack: keep postmortem action items from rotting.

The library is usable on its own: ``actiontrack.reader.read_paths`` reads postmortems,
``actiontrack.tagging`` suggests phases and categories, ``actiontrack.lint.lint``
checks them. The CLI (``actiontrack.cli``) is a thin layer over these.
"""

__version__ = "0.1.0"
