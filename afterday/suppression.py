"""The suppression rule of the impact report: counts that never single anyone out.

Every count below SMALL_NUMBER shows as "fewer than 5" (zero too: "none of the
three people with lived experience came" is as telling as "one came"). A table
that also shows its total suppresses further cells until the suppressed cells
together hold at least SMALL_NUMBER, so subtracting the cells shown from the total
never gives back a small number. The rules are in docs/after-the-day.md; the
sessions' report (selectors/report.py) and the workshops' section (workshops.py)
both apply them.
"""

from __future__ import annotations

from collections.abc import Hashable

from afterday.report_types import NOT_SHOWN_TEXT, SMALL_NUMBER, SUPPRESSED_TEXT, Cell

# With few answers an exact average can give the hidden score counts back (eight
# answers averaging 4.6 can only be five 5s and three 4s), so it needs more.
AVERAGE_MIN_ANSWERS = 10
AVERAGE_NOT_SHOWN = "Not shown: too few answers to keep them anonymous"


def suppress(count: int) -> Cell:
    return Cell(None if count < SMALL_NUMBER else count)


def _hidden_text(count: int) -> str:
    return SUPPRESSED_TEXT if count < SMALL_NUMBER else NOT_SHOWN_TEXT


def _could_be_worked_out(counts: dict[Hashable, int], hidden: set[Hashable]) -> bool:
    """Whether a reader who knows these rules could pin down a hidden cell.

    They know the hidden cells add up to the total minus the cells shown; that a
    "fewer than 5" cell is 0 to 4; and that a "not shown" cell is at least 5 and at
    most the smallest cell still shown (it was hidden as the smallest). A cell whose
    lowest and highest possible values meet is given away, and so is a hidden sum
    below SMALL_NUMBER.
    """
    hidden_sum = sum(counts[key] for key in hidden)
    if hidden_sum < SMALL_NUMBER:
        return True
    shown = [counts[key] for key in counts if key not in hidden]
    ceiling = min(shown) if shown else hidden_sum
    bounds = [(0, SMALL_NUMBER - 1) if counts[key] < SMALL_NUMBER else (SMALL_NUMBER, ceiling) for key in hidden]
    lowest, highest = sum(low for low, _ in bounds), sum(high for _, high in bounds)
    for low, high in bounds:
        if max(low, hidden_sum - (highest - high)) >= min(high, hidden_sum - (lowest - low)):
            return True
    return False


def suppress_with_total(counts: dict[Hashable, int], total: int) -> tuple[dict[Hashable, Cell], Cell]:
    """Hide small cells, then more cells until no hidden cell can be worked out from the total.

    1. Hide every cell below SMALL_NUMBER ("fewer than 5").
    2. While a hidden cell could be worked out (see `_could_be_worked_out`: from
       total minus the cells shown, and the bounds each label gives), also hide
       the smallest cell still shown ("not shown"; ties broken by key order, never
       by hidden values).
    3. If that is still not enough once every cell is hidden, hide the total too;
       a total below SMALL_NUMBER is always hidden.
    """
    hidden = {key for key, count in counts.items() if count < SMALL_NUMBER}
    while hidden and _could_be_worked_out(counts, hidden):
        shown = [key for key in counts if key not in hidden]
        if not shown:
            break
        hidden.add(min(shown, key=lambda key: counts[key]))
    cells = {key: Cell(None, _hidden_text(count)) if key in hidden else Cell(count) for key, count in counts.items()}
    if hidden and _could_be_worked_out(counts, hidden):
        return cells, Cell(None, _hidden_text(total))
    return cells, suppress(total)


USEFULNESS_LABELS = {5: "5 (very useful)", 4: "4", 3: "3", 2: "2", 1: "1 (not useful)"}


def average_usefulness(scores: dict[int, int]) -> str | None:
    """The mean score to one decimal, or None when showing it could give counts away.

    It needs AVERAGE_MIN_ANSWERS answers, and more than one possible sum of scores
    behind the figure shown: with ten answers "4.9" can only be a sum of 49, which
    is nine 5s and one 4. From about twenty answers every figure has two or more
    sums behind it.
    """
    answers = sum(scores.values())
    if answers < AVERAGE_MIN_ANSWERS:
        return None
    shown = f"{sum(score * n for score, n in scores.items()) / answers:.1f}"
    sums_behind_it = [total for total in range(answers, 5 * answers + 1) if f"{total / answers:.1f}" == shown]
    return shown if len(sums_behind_it) >= 2 else None
