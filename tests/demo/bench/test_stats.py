import json

import pytest

from demo.bench.stats import Run, combine, contention_line, dumps, fixed_rate_line, page_line, parse_hey_csv, percentile

HEY_CSV = """response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset
0.0100,0.0001,0.0000,0.0000,0.0098,0.0001,200,0.0000
0.0300,0.0001,0.0000,0.0000,0.0298,0.0001,200,0.0050
0.0200,0.0001,0.0000,0.0000,0.0198,0.0001,302,0.9800
"""


def test_percentile_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 1.0)) == (50.0, 95.0, 100.0)


def test_percentile_of_nothing_is_nan():
    assert percentile([], 0.95) != percentile([], 0.95)


def test_parse_hey_csv_reads_times_statuses_and_duration():
    run = parse_hey_csv(HEY_CSV)

    assert run.seconds == [0.01, 0.03, 0.02]
    assert run.statuses == [200, 200, 302]
    assert run.duration == pytest.approx(1.0)
    assert (run.rps, run.errors, run.ms(0.5)) == (pytest.approx(3.0), 1, 20.0)


def test_paced_streams_combine_into_one_run_from_the_first_start_to_the_last_answer():
    # Two streams started 0.5 s apart: the first answers at 0.01 s and its last at 1.0 s,
    # the second's last request (offset 0.98 s, 20 ms) ends at 0.5 + 1.0 = 1.5 s.
    first = parse_hey_csv(HEY_CSV)
    second = parse_hey_csv(HEY_CSV, started_at=0.5)

    run = combine([first, second])

    assert run.seconds == [0.01, 0.03, 0.02] * 2
    assert run.statuses == [200, 200, 302] * 2
    assert run.duration == pytest.approx(1.5)
    assert run.rps == pytest.approx(4.0)


def test_combining_streams_that_got_no_answer_gives_an_empty_run():
    empty = parse_hey_csv(HEY_CSV.splitlines()[0])

    assert combine([empty, empty]).rps == 0.0


def test_parse_hey_csv_refuses_a_summary():
    with pytest.raises(ValueError, match="CSV"):
        parse_hey_csv("Summary:\n  Total: 1.0 secs\n")


def test_page_line_has_the_fields_and_judges_size_and_throughput():
    run = Run(seconds=[0.02] * 40, statuses=[200] * 40, duration=2.0)

    line = page_line(page="public day", run=run, size=150_000, queries=6, trivial_rps=50.0)

    assert {key: line[key] for key in ("page", "rps", "p50_ms", "p95_ms", "bytes", "queries")} == {
        "page": "public day",
        "rps": 20.0,
        "p50_ms": 20.0,
        "p95_ms": 20.0,
        "bytes": 150_000,
        "queries": 6,
    }
    assert (line["trivial_rps"], line["ratio_to_trivial"]) == (50.0, 0.4)
    assert (line["bytes_result"], line["ratio_result"]) == ("fail", "fail")


def test_page_line_without_a_throughput_target():
    run = Run(seconds=[0.01], statuses=[200], duration=1.0)

    line = page_line(page="desk", run=run, size=1000, queries=3, trivial_rps=10.0)

    assert "ratio_result" not in line
    assert line["bytes_result"] == "pass"


def test_fixed_rate_line_fails_a_server_that_cannot_keep_the_rate():
    fast_but_few = Run(seconds=[0.01] * 100, statuses=[200] * 100, duration=10.0)
    kept_up = Run(seconds=[0.05] * 500, statuses=[200] * 500, duration=10.0)

    assert fixed_rate_line(page="home", run=fast_but_few, rate=50, seconds=10)["result"] == "fail"
    assert fixed_rate_line(page="home", run=kept_up, rate=50, seconds=10)["result"] == "pass"


def test_contention_line_counts_statuses_and_server_errors():
    line = contention_line(what="one slot", requests=4, held=1, expected=1, statuses=[302, 302, 500, 0])

    assert line["statuses"] == {"0": 1, "302": 2, "500": 1}
    assert (line["server_errors"], line["result"]) == (2, "fail")
    assert contention_line(what="one slot", requests=2, held=1, expected=1, statuses=[302, 302])["result"] == "pass"


def test_dumps_is_one_json_line():
    text = dumps({"page": "home", "rps": 1.5})

    assert "\n" not in text
    assert json.loads(text) == {"page": "home", "rps": 1.5}
