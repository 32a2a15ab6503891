"""Choices and names that people's models, selectors and visibility policy share.

A leaf: it imports nothing from the project, so every module of people (and of the
apps above) can import it without going round in a circle.
"""

from django.db import models

# How a viewer is related to a person (people/visibility.py explains each).
SELF = "self"
ORGANISER = "organiser"
PAIRED = "paired"
EVENT = "event"
RELATIONSHIPS = frozenset({SELF, ORGANISER, PAIRED, EVENT})


class Visibility(models.TextChoices):
    """Who may see a sensitive field. The levels widen in this order."""

    ONLY_ME = "only_me", "Only me"
    ORGANISERS = "organisers", "Organisers"
    PAIRED = "paired", "People I am paired with"
    EVENT = "event", "Everyone at my events"


class Perspective(models.TextChoices):
    LIVED_EXPERIENCE = "lived_experience", "Lived experience of mental health difficulties"
    WORKER_VOLUNTARY = "worker_voluntary", "Worker (voluntary sector)"
    WORKER_STATUTORY = "worker_statutory", "Worker (statutory sector)"
    VOLUNTEER = "volunteer", "Volunteer"
    COMMUNITY_JOURNALIST = "community_journalist", "Community journalist"
    TECH_EXPERT = "tech_expert", "Tech / social media expert"


class AccessNeed(models.TextChoices):
    STEP_FREE = "step_free", "Step-free access"
    QUIET_SPACE = "quiet_space", "A quiet space or breaks"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    BSL = "bsl", "British Sign Language interpreter"
    LARGE_PRINT = "large_print", "Large print or screen reader friendly material"
    EXTRA_TIME = "extra_time", "Extra time or a slower pace"
    COMPANION = "companion", "Bringing a companion or support worker"


class Confidence(models.IntegerChoices):
    BASICS = 1, "I can show the basics"
    CONFIDENT = 2, "Confident"
    EXPERT = 3, "Expert"
