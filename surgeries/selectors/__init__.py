"""Every non-trivial read in the surgeries app."""

from surgeries.selectors.days import upcoming_published_days

__all__ = ["upcoming_published_days"]
