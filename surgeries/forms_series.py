"""Forms for copying a day and repeating it as a series."""

from django import forms

from people.forms import form_helper
from surgeries.forms import DateWidget
from surgeries.models import MAX_SERIES_DATES, DaySeries
from surgeries.recurrence import WEEKDAY_NAMES, Rule


class CopyDayForm(forms.Form):
    date = forms.DateField(
        label="New date",
        widget=DateWidget,
        help_text="At the venue. Times, breaks and the booking window move with it.",
        error_messages={"required": "Choose the date of the new day.", "invalid": "Write the date like 2027-01-09."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("Copy the day")


class SeriesRuleForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often",
        choices=[
            (DaySeries.Frequency.MONTHLY, "Monthly, on one weekday of the month (for example the second Saturday)"),
            (DaySeries.Frequency.WEEKLY, "Weekly, or every few weeks"),
        ],
        widget=forms.RadioSelect,
        initial=DaySeries.Frequency.MONTHLY,
    )
    interval = forms.IntegerField(
        label="Repeat every",
        min_value=1,
        max_value=12,
        initial=1,
        help_text="In months for a monthly series, in weeks for a weekly one: 2 weeks is every fortnight.",
    )
    week_of_month = forms.TypedChoiceField(
        label="Week of the month (monthly only)",
        choices=[(value, label.capitalize()) for value, label in DaySeries.WeekOfMonth.choices],
        coerce=int,
        required=False,
    )
    weekday = forms.TypedChoiceField(label="Day of the week", choices=list(enumerate(WEEKDAY_NAMES)), coerce=int)
    ends = forms.ChoiceField(
        label="Ends",
        choices=[("count", "After a number of dates"), ("until", "On a date")],
        widget=forms.RadioSelect,
        initial="count",
    )
    count = forms.IntegerField(
        label="Number of dates", min_value=1, max_value=MAX_SERIES_DATES, required=False, help_text="Up to 52."
    )
    until = forms.DateField(label="Last date", widget=DateWidget, required=False, help_text="No date after this one.")

    def __init__(self, *args, weekday: int, week_of_month: int, **kwargs):
        kwargs.setdefault("initial", {"weekday": weekday, "week_of_month": week_of_month, "count": 6})
        super().__init__(*args, **kwargs)
        self.helper = form_helper("Show the dates")

    def clean(self):
        data = super().clean()
        if data.get("frequency") == DaySeries.Frequency.MONTHLY and data.get("week_of_month") in (None, ""):
            self.add_error("week_of_month", "Choose which week of the month.")
        if data.get("ends") == "count" and not data.get("count") and "count" not in self.errors:
            self.add_error("count", "Say how many dates, up to 52.")
        if data.get("ends") == "until" and not data.get("until") and "until" not in self.errors:
            self.add_error("until", "Choose the last date.")
        return data

    def rule(self) -> Rule:
        data = self.cleaned_data
        monthly = data["frequency"] == DaySeries.Frequency.MONTHLY
        by_count = data["ends"] == "count"
        return Rule(
            frequency=data["frequency"],
            interval=data["interval"],
            weekday=data["weekday"],
            week_of_month=data["week_of_month"] if monthly else None,
            count=data["count"] if by_count else None,
            until=None if by_count else data["until"],
        )

    @staticmethod
    def initial_for(series: DaySeries) -> dict:
        return {
            "frequency": series.frequency,
            "interval": series.interval,
            "week_of_month": series.week_of_month,
            "weekday": series.weekday,
            "ends": "count" if series.count else "until",
            "count": series.count,
            "until": series.until,
        }


class SeriesDateForm(forms.Form):
    """One date of a series' rule, and for a move the date it moves to."""

    on = forms.DateField(widget=forms.HiddenInput)
    to = forms.DateField(
        label="New date",
        widget=DateWidget,
        required=False,
        error_messages={"invalid": "Write the new date like 2027-01-09."},
    )
