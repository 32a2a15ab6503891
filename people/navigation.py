"""What the site navigation needs to know about the signed-in person.

"Organise" is shown only to people who organise at least one network. The answer
is cached per person, so ordinary pages do not pay a query for it; a membership
saved or deleted forgets it at once, and the cache entry expires after a few
minutes anyway (a bulk update that skips the signals is caught up then).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.functional import SimpleLazyObject

from people.models import Membership, User
from people.selectors import organising_memberships

ORGANISES_CACHE_SECONDS = 300


def _key(user_id: int) -> str:
    return f"people:organises:{user_id}"


def organises_anywhere(user: User) -> bool:
    if not user.is_authenticated:
        return False
    answer = cache.get(_key(user.pk))
    if answer is None:
        answer = organising_memberships().filter(person=user).exists()
        cache.set(_key(user.pk), answer, ORGANISES_CACHE_SECONDS)
    return answer


def forget_membership(sender, instance: Membership, **kwargs) -> None:
    cache.delete(_key(instance.person_id))


def navigation(request) -> dict:
    """Template context processor. Lazy: nothing is read unless a template asks."""
    return {"organises_anywhere": SimpleLazyObject(lambda: organises_anywhere(request.user))}


def connect_signals() -> None:
    post_save.connect(forget_membership, sender=Membership, dispatch_uid="people.navigation.saved")
    post_delete.connect(forget_membership, sender=Membership, dispatch_uid="people.navigation.deleted")
