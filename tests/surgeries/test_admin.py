"""The admin cannot cancel a day behind the services' back."""

from django.urls import reverse

from tests.factories import UserFactory


def test_a_days_status_is_read_only_in_the_admin(client, day):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:surgeries_surgeryday_change", args=[day.pk])

    page = client.get(url)
    form_fields = page.context["adminform"].form.fields

    assert page.status_code == 200
    assert "status" not in form_fields
    assert "title" in form_fields
