"""The participant's feedback form. It validates; the service saves."""

from surgeries.forms_afterday import RatingForm
from workshops.models import WorkshopFeedback


class WorkshopFeedbackForm(RatingForm):
    rated = "workshop"
    audience_choices = WorkshopFeedback.CommentAudience.choices
