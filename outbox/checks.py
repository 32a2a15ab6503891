"""Reads every app's notification kinds when the project starts (`check`, `migrate`,
`runserver`), so a name declared twice stops the deploy instead of the first send."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from outbox.registry import registered_kinds


@register()
def notification_kinds_check(app_configs, **kwargs) -> list[Error]:
    try:
        registered_kinds()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="outbox.E001")]
    return []
