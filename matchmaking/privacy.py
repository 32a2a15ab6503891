"""What "My data" exports and erases of matchmaking requests.

Registered with people's hooks from MatchmakingConfig.ready(), so people never imports matchmaking.
"""

from matchmaking.models import MatchProposal, MatchRequest
from people.models import User
from people.privacy import register_erasure_handler, register_export_section


def match_requests_export(person: User) -> list[dict]:
    """A person's matchmaking requests, for "Download my data"."""
    requests = (
        MatchRequest.objects.filter(learner=person)
        .select_related("day")
        .prefetch_related("topics__topic", "preferences", "windows")
    )
    return [
        {
            "day": request.day.title,
            "status": request.get_status_display(),
            "topics": [{"topic": rt.topic.name, "priority": rt.get_priority_display()} for rt in request.topics.all()],
            "preferences": [f"{p.get_strength_display()}: {p.value}" for p in request.preferences.all()],
            "languages": request.languages,
            "times": [[w.starts_at.isoformat(), w.ends_at.isoformat()] for w in request.windows.all()],
            "note": request.note,
        }
        for request in requests
    ]


def match_requests_erase(person: User) -> None:
    """Requests can hold special-category wishes ("a peer with lived experience"): delete them all.
    Bookings made from them stay, as for any booking. The "why not matched" texts kept
    on proposals quote those wishes, so the person's lines go from them too."""
    requests = MatchRequest.objects.filter(learner=person)
    request_ids = set(requests.values_list("pk", flat=True))
    proposals = MatchProposal.objects.filter(day_id__in=requests.values("day_id")).select_for_update()
    for proposal in proposals:
        kept = [row for row in proposal.unmatched if row.get("request") not in request_ids]
        if len(kept) != len(proposal.unmatched):
            proposal.unmatched = kept
            proposal.save(update_fields=["unmatched"])
    requests.delete()


def register() -> None:
    """Called from the app's ready(): matchmaking requests join the person's export and erasure."""
    register_export_section("matchmaking_requests", match_requests_export)
    register_erasure_handler(match_requests_erase)
