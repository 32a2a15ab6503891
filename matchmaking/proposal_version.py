"""The proposal version: one number per day that changes whenever anything the organiser's
matchmaking page keeps of that day's proposal changes.

The page keeps its expensive parts (the totals, each page of pairs and of learners left
out, rendered) in the cache under this number and the day's version
(`surgeries/day_version.py`), so an organiser's change shows at once and nothing has to
remember which kept parts to throw away. How the number is kept, bumped (now and after
commit) and read, and how the page goes on when the cache does not answer:
`people/cache_versions.py`.

`connect()` bumps on every save and delete of a proposal and of a request (deleting a
request deletes its pairs). Pairs are written only by the services in
`matchmaking/services/`, often in bulk, and a signal per pair would need the pair's day
read for each (a run deletes a thousand of them): a service that changes pairs without
saving their proposal calls `bump_proposal_version` itself, as for `QuerySet.update()`
and `bulk_create()`, which send no signal. Perspectives a surgeon hides after the run are not covered by
the number: the page reads them on every request and keys the rendered pairs on them.
"""

from django.db.models.signals import post_delete, post_save

from matchmaking.models import MatchProposal, MatchRequest
from people import cache_versions


def proposal_version_key(day_id: int) -> str:
    """Where the version lives, for a page that reads it with others (`cache_versions.versions`)."""
    return f"proposal-version:{day_id}"


_key = proposal_version_key


def proposal_version(day_id: int) -> int:
    """The day's current proposal version: one cache read (two the first time)."""
    return cache_versions.version(_key(day_id))


def bump_proposal_version(day_id: int) -> None:
    """Give the day's proposals a new version now, and again once the current transaction commits."""
    cache_versions.bump(_key(day_id))


def _proposal_changed(sender, instance: MatchProposal, **kwargs) -> None:
    bump_proposal_version(instance.day_id)


def _request_changed(sender, instance: MatchRequest, **kwargs) -> None:
    bump_proposal_version(instance.day_id)


def connect() -> None:
    for model, changed in (
        (MatchProposal, _proposal_changed),
        (MatchRequest, _request_changed),
    ):
        uid = model.__name__.lower()
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"proposal_version_save_{uid}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"proposal_version_delete_{uid}")
