"""First come, first served: the baseline the optimal solver is measured against."""

from __future__ import annotations

from collections import defaultdict

from matchmaking.core.instance import AllowedPair, Assignment, Id, Instance, check_instance


def _options_by_learner(instance: Instance) -> dict[Id, list[AllowedPair]]:
    options: dict[Id, list[AllowedPair]] = defaultdict(list)
    for pair in instance.pairs:
        options[pair.learner_id].append(pair)
    for pairs in options.values():
        # Stable sort: equal fits keep the caller's order, so results repeat.
        pairs.sort(key=lambda pair: -pair.fit)
    return options


def greedy(instance: Instance) -> Assignment:
    """Each learner, in request order, takes their best-fitting slot still free.

    Locked pairs are placed first, as in `solve`, so the two are comparable.
    """
    check_instance(instance)
    surgeon_of_slot = {slot.id: slot.surgeon_id for slot in instance.slots}
    sessions_left = instance.capacity_by_surgeon()
    chosen = {learner: pair for (learner, _), pair in instance.find_pairs(instance.locked).items()}
    taken = {slot for _, slot in instance.locked}
    for _, slot in instance.locked:
        sessions_left[surgeon_of_slot[slot]] -= 1
    options = _options_by_learner(instance)
    for learner in instance.learners:
        if learner in chosen:
            continue
        for pair in options.get(learner, ()):
            surgeon = surgeon_of_slot[pair.slot_id]
            if pair.slot_id not in taken and sessions_left[surgeon] > 0:
                chosen[learner], sessions_left[surgeon] = pair, sessions_left[surgeon] - 1
                taken.add(pair.slot_id)
                break
    return Assignment(pairs=tuple(chosen[x] for x in instance.learners if x in chosen))
