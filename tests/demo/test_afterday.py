from django.core.management import call_command

from demo.afterday import TITLE
from people.models import Organisation
from surgeries.models import Feedback, SurgeryDay
from surgeries.selectors.reports import impact_report


def test_seed_demo_adds_one_finished_day_with_a_report_worth_reading(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    day = SurgeryDay.objects.get(title=TITLE)
    report = impact_report(organisation=Organisation.objects.get(slug="leeds"), day=day)
    headline = {label: str(cell) for label, cell in report.headline}
    assert day.status == SurgeryDay.Status.FINISHED
    assert (headline["Sessions held"], headline["Feedback answers on sessions"]) == ("13", "12")
    assert Feedback.objects.filter(day=day).count() == 12
    assert report.average_usefulness is not None


def test_the_finished_demo_day_has_workshops_with_attendance_and_feedback(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    day = SurgeryDay.objects.get(title=TITLE)
    (section,) = impact_report(organisation=Organisation.objects.get(slug="leeds"), day=day).sections
    headline = {label: str(cell) for label, cell in section.headline}
    assert headline["Workshop places used (people who came)"] == "17"
    assert headline["Feedback answers on workshops"] == "13"
    assert section.average is not None
