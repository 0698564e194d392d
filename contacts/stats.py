"""The arithmetic of the equity report and the program evaluation, apart from any query so
it can be checked by hand (contacts/tests/test_stats.py; the README gives the formulas).

- Relative rate index (RRI): a group's rate divided by the rate of all other students (the
  OJJDP's relative rate index for disproportionate minority contact; GAO-18-258, K-12
  Education: Discipline Disparities for Black Students, Boys, and Students with Disabilities,
  2018, compares groups the same way).
- Its 95% confidence interval: Katz's log method for a ratio of two proportions (Katz D,
  Baptista J, Azen SP, Pike MC. Obtaining confidence intervals for the risk ratio in cohort
  studies. Biometrics 1978;34:469-474): SE(ln RR) = sqrt(1/a - 1/n1 + 1/c - 1/n0).
- Small-cell suppression with complementary suppression (U.S. Department of Education,
  Privacy Technical Assistance Center, "Frequently Asked Questions - Disclosure Avoidance",
  2012): the primary cell is any count from 1 to minimum - 1; the complement is the smallest
  other non-zero cell of the same table, so the total cannot be used to work the first out.
- Difference in differences of Poisson rates, with the normal approximation for its interval
  (the variance of a rate per 100 from a count k over n students is 100^2 k / n^2)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class RelativeRate:
    index: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        """The interval leaves out 1: a difference chance alone is unlikely to explain."""
        return self.low is not None and self.high is not None and (self.low > 1 or self.high < 1)


def rate_per(count: int, population: int, per: int) -> float | None:
    return per * count / population if population else None


def relative_rate(*, group_count: int, group_size: int, other_count: int, other_size: int) -> RelativeRate:
    """The group's rate over the rate of all other students, with Katz's 95% interval. No
    index without people on both sides or without any event among the others; an index of 0
    (no event in the group) has no interval on the log scale."""
    a, n1, c, n0 = group_count, group_size, other_count, other_size
    if n1 == 0 or n0 == 0 or c == 0:
        return RelativeRate(None, None, None)
    if a == 0:
        return RelativeRate(0.0, None, None)
    index = (a / n1) / (c / n0)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0)
    return RelativeRate(index, math.exp(math.log(index) - Z95 * se), math.exp(math.log(index) + Z95 * se))


def suppressed_cells(
    counts: Mapping[str, int], *, sizes: Mapping[str, int], total: int, minimum: int
) -> set[str]:
    """The cells of one table (groups that partition the students, plus a shown total) to
    withhold. Primary: a count from 1 to minimum - 1, or any count of a group smaller than the
    minimum. Complementary: while exactly one cell of the table is withheld and the total is
    shown, the total minus the others would give it away, so the smallest other non-zero cell
    (or, failing one, the smallest other cell) is withheld too. A total below the minimum is
    withheld with every cell."""
    if 0 < total < minimum:
        return set(counts)
    hidden = {k for k, n in counts.items() if 0 < n < minimum or sizes.get(k, 0) < minimum}
    if len(hidden) == 1 and len(counts) > 1:
        others = sorted((n == 0, n, k) for k, n in counts.items() if k not in hidden)
        hidden.add(others[0][2])
    return hidden


@dataclass(frozen=True)
class DiD:
    treated_before: float | None
    treated_after: float | None
    comparison_before: float | None
    comparison_after: float | None
    effect: float | None
    low: float | None
    high: float | None


def _rate_and_variance(count: int, size: int) -> tuple[float, float] | None:
    if not size:
        return None
    return 100 * count / size, 100**2 * count / size**2


def difference_in_differences(
    *,
    treated_before: tuple[int, int],
    treated_after: tuple[int, int],
    comparison_before: tuple[int, int],
    comparison_after: tuple[int, int],
) -> DiD:
    """(incidents, students) of each group and period -> rates per 100 students and the
    difference in differences (treated after - before) - (comparison after - before), with a
    95% interval from the four rates' Poisson variances."""
    parts = [
        _rate_and_variance(*p) for p in (treated_before, treated_after, comparison_before, comparison_after)
    ]
    r = [p[0] if p else None for p in parts]
    if any(p is None for p in parts):
        return DiD(r[0], r[1], r[2], r[3], None, None, None)
    tb, ta, cb, ca = (p for p in parts if p is not None)
    effect = (ta[0] - tb[0]) - (ca[0] - cb[0])
    se = math.sqrt(tb[1] + ta[1] + cb[1] + ca[1])
    return DiD(r[0], r[1], r[2], r[3], effect, effect - Z95 * se, effect + Z95 * se)
