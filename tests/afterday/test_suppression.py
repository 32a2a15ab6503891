"""The suppression rule: small counts, and tables with a total (docs/after-the-day.md)."""

import itertools

import pytest

from afterday.report_types import SMALL_NUMBER
from afterday.suppression import suppress, suppress_with_total


@pytest.mark.parametrize(("count", "shown"), [(0, "fewer than 5"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5")])
def test_counts_below_five_are_shown_as_fewer_than_five(count, shown):
    assert str(suppress(count)) == shown


def test_one_small_cell_beside_a_total_hides_the_next_smallest_too():
    cells, total = suppress_with_total({"a": 3, "b": 6, "c": 9}, 18)

    assert ([str(cells[k]) for k in "abc"], str(total)) == (["fewer than 5", "not shown", "9"], "18")


def test_two_fours_beside_a_total_are_not_given_away_by_their_sum():
    # Showing 10 and 18 would leave 8 for two cells of at most 4: both 4.
    cells, total = suppress_with_total({"a": 4, "b": 4, "c": 10}, 18)

    assert ([str(cells[k]) for k in "abc"], str(total)) == (["fewer than 5", "fewer than 5", "not shown"], "18")


def test_hidden_cells_whose_sum_is_small_pull_in_another_cell():
    cells, _total = suppress_with_total({"a": 1, "b": 0, "c": 7, "d": 8}, 16)

    assert [cells[k].suppressed for k in "abcd"] == [True, True, True, False]


def test_no_small_cell_means_nothing_extra_is_hidden():
    cells, _total = suppress_with_total({"a": 5, "b": 6}, 11)

    assert [str(cells[k]) for k in "ab"] == ["5", "6"]


def _possible_values(cells: dict, total) -> dict:
    """What a reader could believe about each cell from the page alone.

    Shown cells are exact; "fewer than 5" is 0 to 4; "not shown" is at least 5 and
    at most the smallest shown cell (it was hidden as the smallest); and, when the
    total is shown, the cells add up to it. A hidden cell with one possible value
    is given away.
    """
    shown = [cell.value for cell in cells.values() if not cell.suppressed]
    ceiling = min(shown) if shown else (total.value if not total.suppressed else 60)
    ranges = []
    for cell in cells.values():
        if not cell.suppressed:
            ranges.append([cell.value])
        elif str(cell) == "fewer than 5":
            ranges.append(range(SMALL_NUMBER))
        else:
            ranges.append(range(SMALL_NUMBER, ceiling + 1))
    possible = {key: set() for key in cells}
    for candidate in itertools.product(*ranges):
        if total.suppressed or sum(candidate) == total.value:
            for key, value in zip(cells, candidate, strict=True):
                possible[key].add(value)
    return possible


@pytest.mark.parametrize("counts", list(itertools.product([0, 1, 2, 4, 5, 7, 12], repeat=3)))
def test_no_hidden_cell_can_be_worked_out_from_the_page(counts):
    true_counts = dict(zip("abc", counts, strict=True))

    cells, total = suppress_with_total(true_counts, sum(counts))
    possible = _possible_values(cells, total)

    for key, cell in cells.items():
        if cell.suppressed:
            assert len(possible[key]) >= 2, f"{key}={true_counts[key]} is given away"
    assert all(cells[k].suppressed for k, n in true_counts.items() if n < SMALL_NUMBER)
    # Nothing hidden says something untrue about itself.
    assert all(str(cells[k]) == "fewer than 5" for k, n in true_counts.items() if n < SMALL_NUMBER)
    assert all(str(cells[k]) in ("not shown", str(n)) for k, n in true_counts.items() if n >= SMALL_NUMBER)
