import subprocess
import sys
from pathlib import Path

import pytest

from demo.databases import beside, database_name

ROOT = Path(__file__).resolve().parents[2]


def test_a_throwaway_database_is_named_beside_the_given_one():
    url = beside("postgres://postgres@127.0.0.1:5432/surgeryday", "_stack")

    assert url == "postgres://postgres@127.0.0.1:5432/surgeryday_stack"
    assert database_name(url) == "surgeryday_stack"


def test_a_throwaway_database_is_never_the_given_one_nor_on_sqlite():
    with pytest.raises(ValueError, match="suffix"):
        beside("postgres://postgres@127.0.0.1:5432/surgeryday", "")
    with pytest.raises(ValueError, match="PostgreSQL"):
        beside("sqlite:///var/surgeryday.sqlite3", "_stack")


def test_the_module_imports_before_django_is_set_up():
    # The stack and upgrade tests import it at their top, before they set Django up.
    code = "import sys, demo.databases; print(any(name.startswith('django') for name in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False"
