"""``python -m actiontrack`` runs the CLI, as the console script does."""

from actiontrack.console import main

main()
