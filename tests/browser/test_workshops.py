from datetime import timedelta

from django.core import mail
from playwright.sync_api import expect

from outbox.sweep import send_inline, sweep_due
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    registered,
)
from tests.mail import mail_to
from workshops.models import Registration, Workshop
from workshops.services import waiting_list_join


def log_out_through_the_menu(page) -> None:
    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Sign Out").click()


def test_organiser_adds_a_workshop_with_a_facilitator(page):
    organisation = OrganisationFactory()
    organiser = UserFactory(display_name="Priya")
    facilitator = UserFactory(display_name="Joan")
    MembershipFactory(organisation=organisation, person=organiser, role="organiser")
    MembershipFactory(organisation=organisation, person=facilitator)
    day = SurgeryDayFactory(organisation=organisation, title="Winter surgery")
    log_in(page, organiser)

    page.goto(f"/days/{day.pk}/workshops/")
    expect(page.get_by_text("No workshops or open space have been planned")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a workshop").click()
    assert_accessible(page)
    page.get_by_label("Title*").fill("Wellbeing and boundaries online")
    page.get_by_role("button", name="Add workshop").click()
    expect(page.get_by_text("Say which room it is in.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Description*").fill("Looking after yourself online.")
    page.get_by_label("Joan").check()
    page.get_by_label("Room*").fill("Quiet room")
    page.get_by_label("Starts at*").fill("13:30")
    page.get_by_label("Ends at*").fill("14:30")
    page.get_by_label("Capacity*").fill("12")
    page.get_by_role("button", name="Add workshop").click()

    expect(page.get_by_text("“Wellbeing and boundaries online” has been added to the day.")).to_be_visible()
    expect(page.get_by_text("Workshop in Quiet room, run by Joan.")).to_be_visible()
    expect(page.get_by_text("13:30 GMT to 14:30 GMT").or_(page.get_by_text("13:30 BST to 14:30 BST"))).to_be_visible()
    assert_accessible(page)
    assert Workshop.objects.get().facilitators.get().person == facilitator

    page.get_by_role("link", name="Wellbeing and boundaries online").click()
    page.get_by_role("link", name="Who is coming").click()
    expect(page.get_by_text("Nobody has taken a place yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the workshop").click()
    page.get_by_role("link", name="Cancel the workshop").click()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel the workshop").click()
    expect(page.get_by_text("“Wellbeing and boundaries online” is cancelled. 0 places were released.")).to_be_visible()
    assert Workshop.objects.get().status == "cancelled"


def test_attendee_registers_and_sees_it_in_my_workshops(page):
    learner = UserFactory(display_name="Alex")
    workshop = WorkshopFactory(title="Taking better photos on your phone", capacity=8)
    log_in(page, learner)

    page.goto(f"/days/{workshop.day_id}/workshops/")
    expect(page.get_by_text("8 of 8 places left.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Taking better photos on your phone").click()
    assert_accessible(page)
    page.get_by_role("button", name="Take a place").click()

    expect(page.get_by_text("You have a place at “Taking better photos on your phone”.")).to_be_visible()
    expect(page.get_by_text("7 of 8 left")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="My workshops").click()
    expect(page.get_by_role("heading", name="Taking better photos on your phone")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get().person == learner


def test_full_workshop_waiting_list_then_place_given_when_someone_cancels(page):
    workshop = WorkshopFactory(title="Blogging for your group", capacity=1)
    holder = UserFactory(display_name="Maria")
    learner = UserFactory(display_name="Alex")
    registered(workshop=workshop, person=holder)
    # Far enough ahead that Maria is before the cancellation cut-off.
    assert workshop.starts_at - timedelta(hours=2) > workshop.created_at

    log_in(page, learner)
    page.goto(f"/workshops/{workshop.pk}/")
    expect(page.get_by_text("This workshop is full — join the waiting list.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text("You are on the waiting list. If a place comes free, it is yours.")).to_be_visible()
    assert_accessible(page)
    log_out_through_the_menu(page)

    log_in(page, holder)
    page.goto("/my-workshops/")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel my place at Blogging for your group").click()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my place").click()
    expect(page.get_by_text("Your place at “Blogging for your group” is cancelled.")).to_be_visible()
    log_out_through_the_menu(page)

    log_in(page, learner)
    page.goto(f"/workshops/{workshop.pk}/")
    expect(page.get_by_text("You have a place at this workshop.")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(status="active").from_waiting_list is True


def test_organiser_cancels_someones_place_and_the_waiting_list_gets_it(page):
    organisation = OrganisationFactory()
    organiser = UserFactory(display_name="Priya")
    MembershipFactory(organisation=organisation, person=organiser, role="organiser")
    day = SurgeryDayFactory(organisation=organisation, title="Winter surgery")
    workshop = WorkshopFactory(day=day, title="Blogging for your group", capacity=1)
    holder = UserFactory(display_name="Maria")
    waiting = UserFactory(display_name="Alex")
    registered(workshop=workshop, person=holder)
    waiting_list_join(workshop_id=workshop.pk, person=waiting)
    sweep_due(dispatch=send_inline)  # the confirmation of Maria's place, sent before we start
    mail.outbox.clear()

    log_in(page, organiser)
    page.goto(f"/workshops/{workshop.pk}/attendees/")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel place (Maria)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel Maria's place at “Blogging for your group”?")
    expect(page.get_by_text("Maria loses their place and is emailed")).to_be_visible()
    expect(page.get_by_text("The place goes to the first person on the waiting list (1 waiting)")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(person=holder).status == "active"  # asking changed nothing
    page.get_by_role("button", name="Cancel this place").click()

    expect(
        page.get_by_text("Maria no longer has a place at “Blogging for your group”. They will be emailed.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Alex", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Maria", exact=True)).to_have_count(0)
    assert_accessible(page)
    sweep_due(dispatch=send_inline)
    (notice,) = mail_to(holder)
    assert notice.subject.startswith("Surgery Day: Your place was cancelled: Blogging for your group")
    assert "Alex" not in notice.body
    assert [m.subject.split(":")[1].strip() for m in mail_to(waiting)] == ["You now have a place"]
