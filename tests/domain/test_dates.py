"""EDTF dates: partial and uncertain dates are facts; their bounds are for sorting and filtering."""

import datetime as dt

import pytest

from agreements.domain.dates import InvalidDate, parse_date


@pytest.mark.parametrize(
    "text, lower, upper",
    [
        ("1992", dt.date(1992, 1, 1), dt.date(1992, 12, 31)),
        ("1996-06", dt.date(1996, 6, 1), dt.date(1996, 6, 30)),
        ("2000?", dt.date(2000, 1, 1), dt.date(2000, 12, 31)),
        ("2010-08-16", dt.date(2010, 8, 16), dt.date(2010, 8, 16)),
    ],
)
def test_partial_and_uncertain_dates_have_day_bounds(text, lower, upper):
    parsed = parse_date(text)
    assert (parsed.text, parsed.lower, parsed.upper) == (text, lower, upper)


def test_open_ended_interval_has_no_upper_bound():
    parsed = parse_date("1996-06/..")
    assert parsed.lower == dt.date(1996, 6, 1)
    assert parsed.upper is None


def test_month_thirteen_is_a_clear_error():
    with pytest.raises(InvalidDate, match="'1996-13' is not a valid EDTF date"):
        parse_date("1996-13")


@pytest.mark.parametrize("text", ["", "   ", "June 1996", "1996-02-30", None])
def test_non_edtf_input_is_refused(text):
    with pytest.raises(InvalidDate):
        parse_date(text)


@pytest.mark.parametrize("text, year", [("-0100", "-100"), ("0000", "0"), ("0000-01-01", "0"), ("Y-17E7", "-170000000"),
                                        ("Y170000", "170000"), ("-0001/2000", "-1"), ("XXXX", "0")])
def test_dates_outside_the_years_1_to_9999_are_refused_not_moved_to_year_1(text, year):
    with pytest.raises(InvalidDate, match=f"reaches the year {year}: the registry holds dates from the year 1 to 9999"):
        parse_date(text)


@pytest.mark.parametrize("text, lower, upper", [("0001", dt.date(1, 1, 1), dt.date(1, 12, 31)),
                                                ("9999", dt.date(9999, 1, 1), dt.date(9999, 12, 31)),
                                                ("../2000", None, dt.date(2000, 12, 31))])
def test_the_edges_the_registry_can_hold_keep_their_bounds(text, lower, upper):
    parsed = parse_date(text)
    assert (parsed.lower, parsed.upper) == (lower, upper)


def test_an_invalid_date_error_quotes_a_long_input_only_in_part():
    with pytest.raises(InvalidDate) as err:
        parse_date("1" * 100_000)
    assert len(str(err.value)) < 300
@pytest.mark.parametrize("text", ["1992", "1996-06", "2000-02", "1900-02", "2010-08-16", "2024-02-29", "0001",
                                  "0999-12-31", "1945-06-26"])
def test_plain_dates_skip_the_grammar_and_get_the_same_bounds_as_it_gives(text):
    import edtf

    from agreements.domain.dates import _plain, _to_date

    parsed = edtf.parse_edtf(text)
    assert _plain(text) is not None
    assert (_plain(text).lower, _plain(text).upper) == (_to_date(parsed.lower_strict()), _to_date(parsed.upper_strict()))


@pytest.mark.parametrize("text", ["2015-02-30", "1996-13", "2000?", "1996-06/..", "1990-00"])
def test_impossible_or_qualified_dates_are_left_to_the_grammar(text):
    from agreements.domain.dates import _plain

    assert _plain(text) is None


def test_an_edtf_set_of_days_the_sources_disagree_on_reads_as_one_or_the_other():
    from agreements.domain.wording import human_date

    assert human_date("[2010-12-21,2010-12-22]") == "21 December 2010 or 22 December 2010"
    assert human_date("[2011-02-02,2011-02-17..2011-03-11]") == (
        "2 February 2011 or between 17 February 2011 and 11 March 2011")
    assert human_date("{1945-06-26,1945-10-24}") == "26 June 1945 and 24 October 1945"
