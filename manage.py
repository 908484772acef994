#!/usr/bin/env python
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

if __name__ == "__main__":
    # site/ is a source root, not a package: "site" is a standard-library module.
    sys.path[:0] = [str(BASE_DIR / "site"), str(BASE_DIR)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
