"""Every write in the matchmaking app, split by sub-subject: learners' requests, running and
adjusting a proposal, confirming it. Import from here."""

from matchmaking.errors import MatchmakingError
from matchmaking.services.confirm import (
    AlreadyConfirming,
    PairNotBookable,
    proposal_confirm_pairs,
    proposal_confirm_start,
    proposal_confirmations_resume,
)
from matchmaking.services.proposals import (
    RunResult,
    locked_day,
    matchmaking_run,
    proposal_pair_lock,
    proposal_pair_remove,
    proposal_slot_choose,
)
from matchmaking.services.requests import RequestDetails, match_request_save, match_request_withdraw

__all__ = [
    "AlreadyConfirming",
    "MatchmakingError",
    "PairNotBookable",
    "RequestDetails",
    "RunResult",
    "locked_day",
    "match_request_save",
    "match_request_withdraw",
    "matchmaking_run",
    "proposal_confirm_pairs",
    "proposal_confirm_start",
    "proposal_confirmations_resume",
    "proposal_pair_lock",
    "proposal_pair_remove",
    "proposal_slot_choose",
]
