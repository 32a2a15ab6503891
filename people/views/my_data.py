"""My data: download everything held about me, delete my account, read who looked at my data."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from people import privacy, selectors
from people.forms import AccountDeleteForm
from people.views.common import audit_page_context


@login_required
def my_data(request):
    return render(request, "people/my_data.html")


@login_required
def data_export(request):
    data = privacy.account_export(person=request.user)
    filename = f"surgery-day-my-data-{timezone.now():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        privacy.account_delete(person=request.user)
        logout(request)
        messages.success(request, "Your account is deleted. Thank you for taking part.")
        return redirect("home")
    return render(request, "people/account_delete.html", {"form": form})


@login_required
def my_audit(request):
    entries = selectors.audit_entries_about(person=request.user)
    return render(request, "people/my_audit.html", audit_page_context(request, entries))
