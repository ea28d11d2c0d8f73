from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contentapi.i18n import BadPattern, DateStyle, format_count, format_moment

PUBLISHED = datetime(2018, 6, 8, 8, 0, tzinfo=UTC)
UPDATED = datetime(2019, 3, 4, 8, 30, tzinfo=UTC)
SITE = "dd. LLL y"


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_site_style_matches_the_seed_page(locale: str) -> None:
    assert format_moment(PUBLISHED, DateStyle.SITE, locale, "Europe/Oslo", SITE) == "08. jun 2018"
    assert format_moment(UPDATED, DateStyle.SITE, locale, "Europe/Oslo", SITE) == "04. mar 2019"


def test_cldr_styles_and_iso() -> None:
    assert format_moment(PUBLISHED, DateStyle.LONG, "nn", "Europe/Oslo", SITE) == "8. juni 2018"
    assert (
        format_moment(PUBLISHED, DateStyle.FULL, "nb", "Europe/Oslo", SITE) == "fredag 8. juni 2018"
    )
    assert format_moment(PUBLISHED, DateStyle.SHORT, "nb", "Europe/Oslo", SITE) == "08.06.2018"
    iso = format_moment(PUBLISHED, DateStyle.ISO, "nb", "Europe/Oslo", SITE)
    assert iso == "2018-06-08T10:00:00+02:00"


def test_relative_in_nynorsk_and_bokmaal() -> None:
    now = PUBLISHED + timedelta(days=3)
    assert format_moment(PUBLISHED, DateStyle.RELATIVE, "nn", "Europe/Oslo", SITE, now=now) == (
        "for 3 døgn sidan"
    )
    assert format_moment(PUBLISHED, DateStyle.RELATIVE, "nb", "Europe/Oslo", SITE, now=now) == (
        "for 3 døgn siden"
    )


def test_time_zone_moves_the_date() -> None:
    late = datetime(2018, 6, 8, 23, 30, tzinfo=UTC)  # already 9 June in Oslo
    assert format_moment(late, DateStyle.SITE, "nb", "Europe/Oslo", SITE) == "09. jun 2018"
    assert format_moment(late, DateStyle.SITE, "nb", "UTC", SITE) == "08. jun 2018"


def test_custom_pattern() -> None:
    text = format_moment(
        PUBLISHED, DateStyle.SITE, "nn", "Europe/Oslo", SITE, "EEEE d. MMMM 'kl.' HH:mm"
    )
    assert text == "fredag 8. juni kl. 10:00"


@pytest.mark.parametrize("pattern", ["jjjj", "'open", "qqqqqqqq", "", "   ", "x" * 81, "{}"])
def test_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(BadPattern):
        format_moment(PUBLISHED, DateStyle.SITE, "nb", "Europe/Oslo", SITE, pattern)


def test_counts_use_norwegian_grouping() -> None:
    assert format_count(1234, "nn") == "1\xa0234"
