"""Surgery day views, split by who uses them. Each is thin: check access, call a service."""

from surgeries.views.public import home

__all__ = ["home"]
