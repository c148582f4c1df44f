"""The one user-facing command group: `flask --app wsgi academy <command>`.

Each feature keeps its commands in its own cli.py and adds them to this group.
"""

from flask.cli import AppGroup

academy_cli = AppGroup("academy", help="Social Work Academy commands.")
