import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from matchmaking.core.fit import (
    PERSPECTIVE_PHRASES,
    WISH_POINTS,
    Audience,
    LearnerRequest,
    Preference,
    Strength,
    SurgeonPerspective,
    SurgeonProfile,
    UnmatchedCode,
    allowed_pairs,
    explain_pair,
    explain_unmatched,
    pair_fit,
)
from matchmaking.core.instance import Instance, ReasonKind, ReasonPart, Slot, Surgeon
from matchmaking.core.solver import solve

ENGLISH = frozenset({"English"})
LIVED = "lived_experience"
ORGANISERS_ONLY = SurgeonPerspective(LIVED, visible_to_organisers=True, visible_to_pair=False)
SHOWN_TO_PAIR = SurgeonPerspective(LIVED, visible_to_organisers=True, visible_to_pair=True)
ONLY_ME = SurgeonPerspective(LIVED)


def surgeon(surgeon_id=10, *, confidence=None, languages=ENGLISH, perspectives=()):
    confidence = {"privacy settings": 2, "blogging": 3} if confidence is None else confidence
    return SurgeonProfile(surgeon_id, confidence, languages, perspectives)


def request(learner_id=1, *, wanted=None, languages=ENGLISH, preferences=(), free=None):
    wanted = {"privacy settings": 3} if wanted is None else wanted
    return LearnerRequest(learner_id, wanted, languages, preferences, free)


def lived(strength=Strength.WISH):
    return Preference(ReasonKind.PERSPECTIVE, LIVED, strength)


def test_pair_fit_sums_priority_times_confidence_over_shared_topics():
    wanted = {"privacy settings": 3, "blogging": 1, "video and podcasts": 2}

    fit = pair_fit(request(wanted=wanted), surgeon())

    assert fit.fit == 3 * 2 + 1 * 3
    assert [part.value for part in fit.reasons] == ["privacy settings", "blogging"]


def test_pair_fit_adds_wish_points_for_a_perspective_shown_to_organisers():
    fit = pair_fit(request(preferences=(lived(),)), surgeon(perspectives=(ORGANISERS_ONLY,)))

    assert fit.fit == 3 * 2 + WISH_POINTS


def test_pair_fit_ignores_a_perspective_the_surgeon_keeps_to_themselves():
    fit = pair_fit(request(preferences=(lived(),)), surgeon(perspectives=(ONLY_ME,)))

    assert fit.fit == 3 * 2


def test_pair_fit_must_filters_out_a_surgeon_without_a_visible_perspective():
    assert pair_fit(request(preferences=(lived(Strength.MUST),)), surgeon(perspectives=(ONLY_ME,))) is None


def test_pair_fit_must_met_allows_the_pair_without_extra_points():
    fit = pair_fit(request(preferences=(lived(Strength.MUST),)), surgeon(perspectives=(SHOWN_TO_PAIR,)))

    assert fit.fit == 3 * 2
    assert fit.reasons[-1] == ReasonPart(ReasonKind.PERSPECTIVE, LIVED, 0, must=True, visible_to_pair=True)


def test_pair_fit_language_wish_met_adds_points():
    wish = Preference(ReasonKind.LANGUAGE, "Urdu")

    fit = pair_fit(request(preferences=(wish,)), surgeon(languages=frozenset({"English", "Urdu"})))

    assert fit.fit == 3 * 2 + WISH_POINTS


def test_pair_fit_language_must_unmet_filters_out():
    must = Preference(ReasonKind.LANGUAGE, "Welsh", Strength.MUST)

    assert pair_fit(request(preferences=(must,)), surgeon()) is None


@pytest.mark.parametrize(
    ("learner", "profile"),
    [
        (request(languages=frozenset({"Polish"})), surgeon()),
        (request(wanted={"dealing with trolls": 3}), surgeon()),
        (request(learner_id=10), surgeon(surgeon_id=10)),
    ],
    ids=["no shared language", "no shared topic", "same person"],
)
def test_pair_fit_refuses_pairs_that_may_not_meet(learner, profile):
    assert pair_fit(learner, profile) is None


def test_pair_fit_allows_any_surgeon_for_a_learner_who_named_no_topic():
    fit = pair_fit(request(wanted={}), surgeon())

    assert (fit.fit, fit.reasons) == (0, ())


def test_allowed_pairs_keeps_only_slots_while_the_learner_is_free():
    slots = [Slot(100, 10, 0, 30), Slot(101, 10, 30, 60), Slot(102, 10, 60, 90)]

    pairs = allowed_pairs([request(free=((20, 90),))], [surgeon()], slots)

    assert [(pair.learner_id, pair.slot_id, pair.fit) for pair in pairs] == [(1, 101, 6), (1, 102, 6)]


def _reasons(perspective):
    fit = pair_fit(request(preferences=(lived(),)), surgeon(perspectives=(perspective,)))
    return fit.reasons


def test_explain_pair_for_the_learner_names_topics_and_a_perspective_shown_to_the_pair():
    text = explain_pair(_reasons(SHOWN_TO_PAIR), audience=Audience.LEARNER)

    assert text == "both: privacy settings; prefers a peer with lived experience"


def test_explain_pair_for_the_learner_hides_a_perspective_shown_only_to_organisers():
    text = explain_pair(_reasons(ORGANISERS_ONLY), audience=Audience.LEARNER)

    assert text == "both: privacy settings"


def test_explain_pair_for_the_organiser_names_a_perspective_shown_to_organisers():
    text = explain_pair(_reasons(ORGANISERS_ONLY), audience=Audience.ORGANISER)

    assert text == "both: privacy settings; prefers a peer with lived experience"


def test_explain_pair_names_musts_and_languages():
    reasons = (
        ReasonPart(ReasonKind.TOPIC, "blogging", 6),
        ReasonPart(ReasonKind.TOPIC, "privacy settings", 2),
        ReasonPart(ReasonKind.LANGUAGE, "Urdu", WISH_POINTS),
        ReasonPart(ReasonKind.PERSPECTIVE, "community_journalist", 0, must=True),
    )

    text = explain_pair(reasons, audience=Audience.LEARNER)

    assert text == "both: blogging, privacy settings; prefers a surgeon who speaks Urdu; needs a community journalist"


def test_explain_pair_without_reasons_says_time_and_language_suit():
    assert explain_pair((), audience=Audience.LEARNER) == "free at a time that suits you, in a language you share"


DAY = [Slot(100, 10, 0, 30), Slot(101, 10, 30, 60)]


@pytest.mark.parametrize(
    ("learner", "profiles", "code", "text"),
    [
        (
            request(wanted={"blogging": 3, "dealing with trolls": 1}),
            [surgeon(confidence={"privacy settings": 3})],
            UnmatchedCode.NO_TOPIC,
            "no surgeon offers blogging or dealing with trolls",
        ),
        (
            request(languages=frozenset({"Polish", "Urdu"})),
            [surgeon()],
            UnmatchedCode.NO_LANGUAGE,
            "no surgeon who offers privacy settings speaks Polish or Urdu",
        ),
        (
            request(wanted={"blogging": 2}, free=((60, 120),)),
            [surgeon()],
            UnmatchedCode.NOT_FREE,
            "no surgeon offers blogging while you are free",
        ),
        (
            request(wanted={}, free=((60, 120),)),
            [surgeon()],
            UnmatchedCode.NOT_FREE,
            "no surgeon who speaks your language is free when you are",
        ),
        (
            request(preferences=(lived(Strength.MUST),)),
            [surgeon(perspectives=(ONLY_ME,))],
            UnmatchedCode.MUST_UNMET,
            "no surgeon who offers privacy settings while you are free is a peer with lived experience, as you need",
        ),
        (
            request(preferences=(Preference(ReasonKind.LANGUAGE, "Welsh", Strength.MUST),)),
            [surgeon()],
            UnmatchedCode.MUST_UNMET,
            "no surgeon who offers privacy settings while you are free speaks Welsh, as you need",
        ),
        (
            request(),
            [surgeon()],
            UnmatchedCode.UNAVAILABLE,
            "the slots that could suit you clash with the rest of your day",
        ),
        (
            request(learner_id=10),
            [surgeon(surgeon_id=10)],
            UnmatchedCode.NO_TOPIC,
            "no surgeon offers privacy settings",
        ),
    ],
    ids=["topic", "language", "time", "time-any-topic", "must-perspective", "must-language", "clash", "only-self"],
)
def test_explain_unmatched_names_the_first_step_that_leaves_nobody(learner, profiles, code, text):
    reason = explain_unmatched(learner, profiles, DAY, suitable_slots=0)

    assert (reason.code, reason.text) == (code, text)


@pytest.mark.parametrize(
    ("suitable", "text"),
    [
        (1, "the one slot that suited you went to another learner"),
        (3, "all 3 slots that suited you went to other learners"),
    ],
)
def test_explain_unmatched_when_suitable_slots_went_to_others(suitable, text):
    reason = explain_unmatched(request(), [surgeon()], DAY, suitable_slots=suitable)

    assert (reason.code, reason.text) == (UnmatchedCode.TAKEN, text)


def test_preference_about_a_topic_is_refused():
    with pytest.raises(ValueError, match="topics go in"):
        Preference(ReasonKind.TOPIC, "blogging")


visibilities = st.sampled_from([(False, False), (True, False), (True, True)])


@st.composite
def surgeons_with_perspectives(draw):
    codes = draw(st.lists(st.sampled_from(sorted(PERSPECTIVE_PHRASES)), unique=True, max_size=3))
    perspectives = tuple(SurgeonPerspective(code, *draw(visibilities)) for code in codes)
    return surgeon(perspectives=perspectives)


@st.composite
def perspective_requests(draw):
    codes = draw(st.lists(st.sampled_from(sorted(PERSPECTIVE_PHRASES)), unique=True, max_size=3))
    strengths = st.sampled_from([Strength.WISH, Strength.MUST])
    return request(preferences=tuple(Preference(ReasonKind.PERSPECTIVE, code, draw(strengths)) for code in codes))


@settings(max_examples=100, deadline=None)
@given(perspective_requests(), surgeons_with_perspectives())
def test_pair_fit_never_uses_a_perspective_hidden_from_organisers(learner, profile):
    shown = tuple(p for p in profile.perspectives if p.visible_to_organisers)
    without_hidden = SurgeonProfile(profile.surgeon_id, profile.confidence, profile.languages, shown)

    assert pair_fit(learner, profile) == pair_fit(learner, without_hidden)


@settings(max_examples=100, deadline=None)
@given(perspective_requests(), surgeons_with_perspectives())
def test_explain_pair_tells_the_learner_only_perspectives_shown_to_the_pair(learner, profile):
    fit = pair_fit(learner, profile)
    assume(fit is not None)
    text = explain_pair(fit.reasons, audience=Audience.LEARNER)

    for perspective in profile.perspectives:
        if not perspective.visible_to_pair:
            assert PERSPECTIVE_PHRASES[perspective.code] not in text


def test_a_small_day_from_requests_to_explanations():
    profiles = [
        surgeon(10, perspectives=(SHOWN_TO_PAIR,)),
        surgeon(11, confidence={"blogging": 3}),
    ]
    slots = [Slot(100, 10, 0, 30), Slot(101, 11, 0, 30)]
    requests = [
        request(1, wanted={"blogging": 2}, preferences=(lived(),)),
        request(2, wanted={"blogging": 3}),
        request(3, wanted={"video and podcasts": 1}),
    ]
    instance = Instance(
        learners=(1, 2, 3),
        surgeons=(Surgeon(10, 1), Surgeon(11, 1)),
        slots=tuple(slots),
        pairs=tuple(allowed_pairs(requests, profiles, slots)),
    )

    assignment = solve(instance)

    explained = {p.learner_id: explain_pair(p.reasons, audience=Audience.LEARNER) for p in assignment.pairs}
    assert explained == {1: "both: blogging; prefers a peer with lived experience", 2: "both: blogging"}
    assert explain_unmatched(requests[2], profiles, slots, suitable_slots=0).text == (
        "no surgeon offers video and podcasts"
    )
