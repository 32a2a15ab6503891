import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from demo.bench.load import sessions_for
from demo.bench.seed import Size, seed_big_day
from demo.management.commands.web_bench import pages


@pytest.mark.django_db
def test_every_benchmarked_page_answers_200_for_its_person(settings):
    big = seed_big_day(size=Size(surgeons=6, requests=10, contenders=2))
    keys = sessions_for([big.learner_id, big.organiser_id], secret_key=settings.SECRET_KEY)
    sessions = {"learner": keys[big.learner_id], "organiser": keys[big.organiser_id]}

    answers = {}
    for name, path, who in pages(big):
        client = Client()
        if who:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[who]
        answers[name] = client.get(path).status_code

    assert answers == {name: 200 for name, _, _ in pages(big)}


def test_web_bench_refuses_sqlite(settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("this process runs on PostgreSQL")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("web_bench")


def test_web_bench_refuses_an_empty_run():
    with pytest.raises(CommandError, match="--fixed-seconds must be at least 1"):
        call_command("web_bench", "--fixed-seconds", "0")
