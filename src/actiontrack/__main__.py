"""``python -m actiontrack`` runs the CLI."""

from actiontrack.cli import main

main()
