"""The report's arithmetic against figures worked out by hand."""

import math

import pytest

from contacts.stats import difference_in_differences, relative_rate, suppressed_cells


def test_relative_rate_index_and_katz_interval_match_hand_computation():
    # 12 of 100 students in the group, 20 of 400 others: rates 0.12 and 0.05, RRI 2.4.
    # SE(ln RRI) = sqrt(1/12 - 1/100 + 1/20 - 1/400) = 0.347611; 2.4 x exp(-/+ 1.96 x 0.347611).
    rr = relative_rate(group_count=12, group_size=100, other_count=20, other_size=400)
    assert rr.index == pytest.approx(2.4)
    assert rr.low == pytest.approx(1.21430, abs=1e-4)
    assert rr.high == pytest.approx(4.74349, abs=1e-4)
    assert rr.significant


def test_an_interval_spanning_one_is_not_significant():
    rr = relative_rate(group_count=3, group_size=50, other_count=10, other_size=200)
    assert rr.index == pytest.approx(1.2)
    assert rr.low < 1 < rr.high and not rr.significant


def test_no_index_without_events_among_the_others_and_no_interval_for_zero():
    assert relative_rate(group_count=4, group_size=50, other_count=0, other_size=200).index is None
    zero = relative_rate(group_count=0, group_size=50, other_count=8, other_size=200)
    assert zero.index == 0.0 and zero.low is None and zero.high is None


def test_a_cell_of_three_is_suppressed_with_its_complementary_cell():
    # Total 45 shown: hiding only the 3 would leave it as 45 - 12 - 30 = 3.
    counts = {"a": 3, "b": 12, "c": 30, "d": 0}
    sizes = {"a": 40, "b": 100, "c": 300, "d": 50}
    hidden = suppressed_cells(counts, sizes=sizes, total=45, minimum=10)
    assert hidden == {"a", "b"}  # b: the smallest other non-zero cell


def test_two_small_cells_need_no_complement():
    counts = {"a": 3, "b": 4, "c": 30}
    assert suppressed_cells(counts, sizes={"a": 40, "b": 40, "c": 300}, total=37, minimum=10) == {"a", "b"}


def test_a_small_group_hides_its_count_even_when_zero_and_the_complement_follows():
    counts = {"yes": 0, "no": 25}
    assert suppressed_cells(counts, sizes={"yes": 6, "no": 400}, total=25, minimum=10) == {"yes", "no"}


def test_a_total_below_the_minimum_hides_the_whole_table():
    counts = {"a": 2, "b": 0}
    assert suppressed_cells(counts, sizes={"a": 100, "b": 100}, total=2, minimum=10) == {"a", "b"}


def test_the_minimum_is_a_parameter():
    counts = {"a": 3, "b": 12}
    assert suppressed_cells(counts, sizes={"a": 40, "b": 100}, total=15, minimum=3) == set()


def test_difference_in_differences_recovers_a_known_effect():
    # Treated: 10 then 20 incidents over 100 students (10 -> 20 per 100);
    # comparison: 40 then 40 over 400 (10 -> 10 per 100). Effect: +10 per 100.
    did = difference_in_differences(
        treated_before=(10, 100),
        treated_after=(20, 100),
        comparison_before=(40, 400),
        comparison_after=(40, 400),
    )
    assert (did.treated_before, did.treated_after) == (10, 20)
    assert (did.comparison_before, did.comparison_after) == (10, 10)
    assert did.effect == pytest.approx(10)
    # Variances 100^2 k / n^2: 10 + 20 + 2.5 + 2.5 = 35.
    assert did.low == pytest.approx(10 - 1.959964 * math.sqrt(35), abs=1e-4)
    assert did.high == pytest.approx(10 + 1.959964 * math.sqrt(35), abs=1e-4)


def test_no_difference_without_students():
    did = difference_in_differences(
        treated_before=(1, 0), treated_after=(2, 100), comparison_before=(4, 400), comparison_after=(4, 400)
    )
    assert did.effect is None and did.treated_before is None
