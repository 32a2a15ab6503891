"""Matchmaking's domain error; the booking errors it raises too are surgeries' (surgeries/errors.py)."""

from surgeries import errors


class MatchmakingError(errors.SurgeryError):
    default_message = "Sorry, that change to the matches could not be made."
