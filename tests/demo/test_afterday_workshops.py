from django.core.management import call_command

from afterday.selectors.report import impact_report
from demo.afterday import TITLE
from people.models import Organisation
from surgeries.models import SurgeryDay


def test_the_finished_demo_day_has_workshops_with_attendance_and_feedback(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    day = SurgeryDay.objects.get(title=TITLE)
    (section,) = impact_report(organisation=Organisation.objects.get(slug="leeds"), day=day).sections
    headline = {label: str(cell) for label, cell in section.headline}
    assert headline["Workshop places used (people who came)"] == "17"
    assert headline["Feedback answers on workshops"] == "13"
    assert section.average is not None
