#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")
    # On a developer's machine `make run` writes .env (DEBUG=1, a generated SECRET_KEY), so
    # every manage.py command of the README runs as written; the environment still wins.
    # gunicorn never reads it: production takes its settings from the environment alone.
    from dotenv import load_dotenv

    load_dotenv(Path(__file__).resolve().parent / ".env", override=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
