"""Imports go at the top of a module; one inside a function says why (ruff's PLC0415).

docs/architecture.md lists the reasons. Each belongs to a kind of module, so a
reason cannot be borrowed to hide a design problem elsewhere: an import that dodges
a cycle has no reason here, and import-linter's contracts refuse the cycle itself.
"""

import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", "migrations", "static", "staticfiles", "var", ".git"}
SUPPRESSION = re.compile(r"#\s*noqa:[^#]*\bPLC0415\b(?P<rest>.*)$")
REASON = re.compile(r"^\s*--\s*(?P<reason>[a-z ]+?)\s*(?::|$)")


def _where_before_setup(path: Path) -> bool:
    """Modules that run before Django is set up: settings-free entry points and scripts."""
    relative = path.relative_to(ROOT)
    return relative.parts[0] in {"config", "scripts"} or relative.name == "manage.py"


# reason -> which modules may give it
ALLOWED_REASONS = {
    # AppConfig.ready() connects receivers and hooks once every app is loaded.
    "app ready": lambda path: path.name == "apps.py",
    # The module is imported before Django is set up (the Celery app, gunicorn's
    # hooks, manage.py, the test scripts), so it cannot import models at the top.
    "before setup": _where_before_setup,
    # Tasks and receivers are leaves: loaded at start-up, they import services late.
    "leaf": lambda path: path.name in {"tasks.py", "receivers.py"},
    "optional dependency": lambda path: True,
}


def _project_modules():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def _suppressions():
    """(path, line number, text after the code) of each PLC0415 suppression in a comment."""
    for path in _project_modules():
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                found = token.type == tokenize.COMMENT and SUPPRESSION.search(token.string)
                if found:
                    yield path, token.start[0], found.group("rest")


def reason_problem(path: Path, rest: str) -> str | None:
    """What is wrong with the text after a PLC0415 suppression, or None if it is fine."""
    reason = REASON.match(rest)
    if reason is None:
        return "no reason given (write `# noqa: PLC0415 -- <reason>`)"
    name = reason.group("reason")
    if name not in ALLOWED_REASONS:
        return f"{name!r} is not one of {sorted(ALLOWED_REASONS)}"
    if not ALLOWED_REASONS[name](path):
        return f"{name!r} does not apply to {path.name}"
    return None


def test_every_import_inside_a_function_gives_an_allowed_reason_for_its_kind_of_module():
    problems = [
        f"{path.relative_to(ROOT)}:{number}: {problem}"
        for path, number, rest in _suppressions()
        if (problem := reason_problem(path, rest))
    ]

    assert problems == []


def test_the_project_has_inline_imports_with_reasons_to_check():
    # If the pattern stopped matching, the test above would pass on nothing.
    assert len(list(_suppressions())) >= 5


@pytest.mark.parametrize(
    ("module", "rest", "problem"),
    [
        ("surgeries/apps.py", " -- app ready", None),
        ("surgeries/apps.py", " -- app ready: connects the receivers", None),
        ("config/celery.py", " -- before setup", None),
        ("surgeries/services/booking.py", "", "no reason given (write `# noqa: PLC0415 -- <reason>`)"),
        ("surgeries/services/booking.py", " -- app ready", "'app ready' does not apply to booking.py"),
        (
            "surgeries/services/booking.py",
            " -- circular import",
            "'circular import' is not one of ['app ready', 'before setup', 'leaf', 'optional dependency']",
        ),
        ("workshops/receivers.py", " -- leaf", None),
    ],
)
def test_a_reason_is_checked_against_the_kind_of_module(module, rest, problem):
    assert reason_problem(ROOT / module, rest) == problem
