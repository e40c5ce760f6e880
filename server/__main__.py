"""``python -m server`` runs the server like the ``hackrooms`` command."""

from .cli import main

main()
