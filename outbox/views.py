"""A person's choice about non-essential messages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from outbox.selectors import non_essential_enabled
from outbox.services import notification_preference_set


class NotificationPreferenceForm(forms.Form):
    non_essential_enabled = forms.BooleanField(
        label="Send me reminders before the things I have booked",
        required=False,
        help_text="Booking confirmations and cancellations always reach you, whatever you choose here.",
    )


@login_required
def notification_preferences(request):
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            notification_preference_set(
                person=request.user, non_essential_enabled=form.cleaned_data["non_essential_enabled"]
            )
            messages.success(request, "Your email choices are saved.")
            return redirect("notification_preferences")
    else:
        form = NotificationPreferenceForm(initial={"non_essential_enabled": non_essential_enabled(person=request.user)})
    return render(request, "outbox/notification_preferences.html", {"form": form})
