import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str


def test_env_str_missing_or_blank_gives_default(monkeypatch):
    monkeypatch.delenv("SD_TEST_VALUE", raising=False)
    assert env_str("SD_TEST_VALUE", "fallback") == "fallback"
    monkeypatch.setenv("SD_TEST_VALUE", "   ")
    assert env_str("SD_TEST_VALUE", "fallback") == "fallback"


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("YES", True), ("1", True), ("off", False)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SD_TEST_VALUE", raw)
    assert env_bool("SD_TEST_VALUE", not expected) is expected


def test_env_bool_typo_fails_loudly(monkeypatch):
    monkeypatch.setenv("SD_TEST_VALUE", "ture")
    with pytest.raises(ImproperlyConfigured, match="SD_TEST_VALUE"):
        env_bool("SD_TEST_VALUE", False)


def test_env_int_rejects_words_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("SD_TEST_VALUE", "sixty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SD_TEST_VALUE", 1)
    monkeypatch.setenv("SD_TEST_VALUE", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("SD_TEST_VALUE", 1, minimum=0)
    monkeypatch.setenv("SD_TEST_VALUE", "42")
    assert env_int("SD_TEST_VALUE", 1, minimum=0) == 42


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SD_TEST_VALUE", "a.example, b.example,,")
    assert env_list("SD_TEST_VALUE") == ["a.example", "b.example"]


def test_env_choice_refuses_unknown_value(monkeypatch):
    monkeypatch.setenv("SD_TEST_VALUE", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="one of always, never"):
        env_choice("SD_TEST_VALUE", "always", ["always", "never"])
