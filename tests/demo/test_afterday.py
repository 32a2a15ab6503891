from django.core.management import call_command

from afterday.models import Feedback
from afterday.selectors.report import impact_report
from demo.afterday import TITLE
from people.models import Organisation
from surgeries.models import SurgeryDay


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
