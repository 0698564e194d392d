#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings")
    # manage.py is the developer's tool: debug unless the environment says otherwise.
    # Production serves through wsgi.py (gunicorn), where DEBUG stays off by default.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
