"""Sundays and holidays move the applicants' deadlines to the next working day (art. 2963 c.c.)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from networks.checks import check_local_holidays
from networks.constants import ApplicationStatus as S
from networks.holidays import (
    closed_because,
    easter_sunday,
    holidays_of,
    local_holidays,
    next_working_day,
)
from networks.services import workflow as services
from tests.procedure import bring_to

# Easter Sundays as the calendars print them, with the earliest and latest possible.
KNOWN_EASTERS = [
    date(1818, 3, 22),
    date(1943, 4, 25),
    date(2000, 4, 23),
    date(2019, 4, 21),
    date(2020, 4, 12),
    date(2021, 4, 4),
    date(2022, 4, 17),
    date(2023, 4, 9),
    date(2024, 3, 31),
    date(2025, 4, 20),
    date(2026, 4, 5),
    date(2027, 3, 28),
    date(2028, 4, 16),
    date(2038, 4, 25),
    date(2285, 3, 22),
]


def gauss_easter(year: int) -> date:
    """Easter by Gauss's own rules, with his two exceptions: a second, independent computus."""
    a, b, c = year % 19, year % 4, year % 7
    k = year // 100
    p = (13 + 8 * k) // 25
    q = k // 4
    m = (15 - p + k - q) % 30
    n = (4 + k - q) % 7
    d = (19 * a + m) % 30
    e = (2 * b + 4 * c + 6 * d + n) % 7
    if d == 29 and e == 6:
        return date(year, 4, 19)
    if d == 28 and e == 6 and (11 * m + 11) % 30 < 19:
        return date(year, 4, 18)
    return date(year, 3, 22) + timedelta(days=d + e)


@pytest.mark.parametrize("easter", KNOWN_EASTERS, ids=str)
def test_easter_is_the_day_the_calendars_print(easter):
    assert easter_sunday(easter.year) == easter


@given(st.integers(min_value=1583, max_value=9999))
def test_easter_agrees_with_gauss_and_is_a_sunday_of_spring(year):
    easter = easter_sunday(year)
    assert easter == gauss_easter(year)
    assert easter.isoweekday() == 7
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_the_holidays_of_2026_in_milan():
    days = holidays_of(2026)
    assert days[date(2026, 4, 6)] == "Lunedì dell'Angelo"
    assert days[date(2026, 10, 4)] == "San Francesco d'Assisi, patrono d'Italia"
    assert days[date(2026, 12, 7)] == "Sant'Ambrogio, patrono di Milano"
    assert days[date(2026, 6, 2)] == "Festa della Repubblica"
    assert len(days) == 14  # 10 fixed, Easter and its Monday, 4 October, Sant'Ambrogio
    # 4 October is a holiday again from 2026 (L. 151/2025), not before.
    assert date(2025, 10, 4) not in holidays_of(2025)


def test_sunday_is_closed_and_saturday_is_a_working_day():
    assert closed_because(date(2026, 12, 6)) == "domenica"
    assert closed_because(date(2026, 12, 12)) == ""
    assert closed_because(date(2026, 12, 25)) == "Natale"
    assert closed_because(date(2026, 12, 2)) == ""


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_the_next_working_day_is_the_first_day_not_closed(day):
    found = next_working_day(day)
    assert found >= day
    assert not closed_because(found)
    assert all(closed_because(day + timedelta(days=n)) for n in range((found - day).days))
    # The longest run of closed days is three: Sunday 24/12, Natale, Santo Stefano (or 6-8/12).
    assert (found - day).days <= 3


@pytest.mark.parametrize(
    ("sent_on", "deadline"),
    [
        (date(2026, 12, 2), date(2026, 12, 12)),  # a Saturday: working
        (date(2026, 11, 26), date(2026, 12, 9)),  # Sunday 6, Sant'Ambrogio 7, Immacolata 8
        (date(2026, 12, 27), date(2027, 1, 7)),  # Epifania on Wednesday 6 January
        (date(2027, 3, 19), date(2027, 3, 30)),  # Easter Monday 29 March 2027
    ],
)
def test_the_ten_days_of_observations_end_on_a_working_day(sent_on, deadline):
    assert services.observation_deadline(sent_on) == deadline


def test_an_integration_may_run_past_the_thirtieth_day_only_to_the_next_working_day():
    # 25/11/2026 + 30 = Natale; Santo Stefano is a Saturday, then a Sunday.
    today = date(2026, 11, 25)
    assert services.latest_request_deadline(today) == date(2026, 12, 28)
    services.check_request_deadline(date(2026, 12, 28), today=today)
    with pytest.raises(ValidationError, match="entro il 28/12/2026"):
        services.check_request_deadline(date(2026, 12, 29), today=today)


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (
            date(2026, 12, 25),
            "La scadenza indicata, 25/12/2026, cade in un giorno festivo (Natale) e si "
            "sposterebbe al primo giorno lavorativo seguente (art. 2963 c.c.). Indica un giorno "
            "lavorativo, per esempio il 28/12/2026.",
        ),
        (
            date(2026, 12, 13),
            "La scadenza indicata, 13/12/2026, cade in un giorno festivo (domenica)",
        ),
    ],
)
def test_a_deadline_on_a_holiday_is_refused_with_the_next_working_day(deadline, message):
    with pytest.raises(ValidationError) as refused:
        services.check_request_deadline(deadline, today=date(2026, 12, 2))
    assert refused.value.messages[0].startswith(message)


def test_the_local_holiday_comes_from_the_setting(settings):
    settings.PORTAL_LOCAL_HOLIDAYS = "01-20 San Sebastiano; 06-24 San Giovanni"
    days = holidays_of(2027)
    assert days[date(2027, 1, 20)] == "San Sebastiano"
    assert days[date(2027, 6, 24)] == "San Giovanni"
    assert date(2027, 12, 7) not in days
    settings.PORTAL_LOCAL_HOLIDAYS = ""
    assert closed_because(date(2026, 12, 7)) == ""
    assert check_local_holidays(None) == []


@pytest.mark.parametrize("value", ["07/12 Sant'Ambrogio", "12-32 Nessuno", "ambrogio"])
def test_a_malformed_local_holiday_is_a_system_check_error_and_is_ignored(settings, value):
    settings.PORTAL_LOCAL_HOLIDAYS = value
    errors = check_local_holidays(None)
    assert [error.id for error in errors] == ["networks.E006"]
    assert "non è un giorno dell'anno" in errors[0].msg
    # The national holidays still hold; the bad entry is left out, not a crash.
    assert closed_because(date(2026, 12, 8)) == "Immacolata Concezione"
    assert closed_because(date(2026, 12, 7)) == ""


def test_29_february_as_a_local_holiday_is_kept_only_in_leap_years(settings):
    settings.PORTAL_LOCAL_HOLIDAYS = "02-29 Giorno bisestile"
    assert local_holidays() == [(2, 29, "Giorno bisestile")]
    assert holidays_of(2028)[date(2028, 2, 29)] == "Giorno bisestile"
    assert len(holidays_of(2027)) == 13


@pytest.mark.django_db
def test_the_officer_is_told_the_deadline_falls_on_a_sunday_and_keeps_the_text(
    client, applicant, officer, manager
):
    application = bring_to(S.IN_REVIEW, applicant=applicant, officer=officer, manager=manager)
    today = timezone.localdate()
    sunday = today + timedelta(days=7 - today.isoweekday() or 7)
    client.force_login(officer)
    response = client.post(
        reverse("review_action", args=[application.pk, "request_integration"]),
        {
            "request_integration-text": "Caricate l'accordo di rete firmato da tutti.",
            "request_integration-deadline": sunday.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f"La scadenza indicata, {sunday:%d/%m/%Y}, cade in un giorno festivo" in content
    assert "Indica un giorno lavorativo" in content
    assert "Caricate l&#x27;accordo di rete firmato da tutti." in content
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert not application.requests.exists()
