"""The shared HTTP client against a real local server: User-Agent, rate limits, retries, Retry-After, timeouts."""
from __future__ import annotations

import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from loaders.harvest import SOURCES
from loaders.http import HttpClient, HttpError, RateLimit, meros_version

from .conftest import ReplayServer

PAGE = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}


class FakeTime:
    """A clock that only moves when the client sleeps: rate limits checked exactly, without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_every_request_names_meros_its_version_and_the_operator(replay: ReplayServer) -> None:
    with HttpClient(contact="mailto:ops@example.kz") as client:
        client.get(replay.url("oai/eur") + "/oai", params=PAGE).close()
    agent = replay.requests("oai/eur")[0].headers["User-Agent"]
    assert agent.startswith(f"Meros/{meros_version()} (") and "mailto:ops@example.kz" in agent


def test_loc_item_limit_never_sends_more_than_ten_in_any_ten_seconds() -> None:
    """loc.gov's item endpoint: burst 10 requests / 10 s, crawl 200 / min (SOURCES['loc']).

    A token bucket of ten would let an eleventh request through one second
    after a burst of ten; the window does not.
    """
    t = FakeTime()
    item = SOURCES["loc"].limits("loc", None)["loc-item"]
    limit = RateLimit(item.limits, sleep=t.sleep, clock=t.clock)
    starts = []
    for _ in range(250):
        limit.acquire()
        starts.append(t.now)
    assert starts[:10] == [0.0] * 10  # the burst goes at once
    assert all(starts[i + 10] - starts[i] >= 10 for i in range(len(starts) - 10))  # ≤ 10 in any 10 s
    assert all(starts[i + 200] - starts[i] >= 60 for i in range(len(starts) - 200))  # ≤ 200 in any minute
    assert starts[-1] == pytest.approx(240.0)  # and no slower than the limits require


def test_the_crawl_window_binds_when_it_is_the_tighter_one() -> None:
    t = FakeTime()
    limit = RateLimit(((5, 1.0), (8, 60.0)), sleep=t.sleep, clock=t.clock)
    for _ in range(9):
        limit.acquire()
    assert t.now == pytest.approx(60.0)  # the 9th waits for the per-minute window, not the per-second one


def test_a_real_rate_limit_spaces_real_requests(replay: ReplayServer) -> None:
    with HttpClient(limits={"oai": RateLimit.parse("2/0.2")}) as client:
        for _ in range(6):
            client.get(replay.url("oai/eur") + "/oai", params=PAGE, source="oai").close()
    times = [h.at for h in replay.requests("oai/eur")]
    assert times[-1] - times[0] >= 0.35  # 2 at once, then one every 0.1 s


def test_429_waits_as_retry_after_says_then_succeeds(replay: ReplayServer) -> None:
    replay.script("oai/eur", "/oai", PAGE, {"status": 429, "headers": {"Retry-After": "1"}, "body": "slow down"},
                  {"file": "ListRecords-page1.xml"})
    with HttpClient(backoff=0.01) as client:
        resp = client.get(replay.url("oai/eur") + "/oai", params=PAGE)
        assert resp.status_code == 200 and b"hdl:1765/308" in resp.content
        resp.close()
    hits = replay.requests("oai/eur")
    assert [h.status for h in hits] == [429, 200]
    assert hits[1].at - hits[0].at >= 0.95


def test_503_with_an_http_date_retry_after(replay: ReplayServer) -> None:
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)
    replay.script("oai/eur", "/oai", PAGE, {"status": 503, "headers": {"Retry-After": when}, "body": "busy"},
                  {"file": "ListRecords-page1.xml"})
    with HttpClient(backoff=0.01) as client:
        client.get(replay.url("oai/eur") + "/oai", params=PAGE).close()
    hits = replay.requests("oai/eur")
    assert [h.status for h in hits] == [503, 200] and hits[1].at - hits[0].at >= 0.5


def test_500_twice_then_success_backs_off_exponentially(replay: ReplayServer) -> None:
    replay.script("oai/eur", "/oai", PAGE, {"status": 500, "body": "oops"}, {"status": 500, "body": "oops"},
                  {"file": "ListRecords-page1.xml"})
    with HttpClient(backoff=0.1) as client:
        client.get(replay.url("oai/eur") + "/oai", params=PAGE).close()
        assert client.waited == pytest.approx(0.1 + 0.2, abs=0.05)
    hits = replay.requests("oai/eur")
    assert [h.status for h in hits] == [500, 500, 200]
    assert hits[1].at - hits[0].at >= 0.09 and hits[2].at - hits[1].at >= 0.19


def test_giving_up_names_the_url_status_and_attempts(replay: ReplayServer) -> None:
    replay.script("oai/eur", "/oai", PAGE, {"status": 502, "body": "bad gateway"})
    with HttpClient(retries=2, backoff=0.01) as client, pytest.raises(HttpError) as err:
        client.get(replay.url("oai/eur") + "/oai", params=PAGE)
    assert "502" in str(err.value) and "after 3 attempts" in str(err.value) and "/oai" in str(err.value)
    assert len(replay.requests("oai/eur")) == 3


def test_a_retry_after_beyond_the_ceiling_stops_at_once(replay: ReplayServer) -> None:
    replay.script("oai/eur", "/oai", PAGE, {"status": 429, "headers": {"Retry-After": "3600"}, "body": "blocked"})
    with HttpClient(max_wait=60) as client, pytest.raises(HttpError) as err:
        client.get(replay.url("oai/eur") + "/oai", params=PAGE)
    assert "3600 s" in str(err.value) and "MEROS_HTTP_MAX_WAIT" in str(err.value)
    assert len(replay.requests("oai/eur")) == 1


def test_a_404_is_an_answer_not_a_failure(replay: ReplayServer) -> None:
    with HttpClient() as client:
        resp = client.get(replay.url("kazneb") + "/ru/catalogue/view/1000006")
        assert resp.status_code == 404
        resp.close()
    assert len(replay.requests("kazneb")) == 1


def test_a_server_that_never_answers_times_out_and_is_retried(replay: ReplayServer) -> None:
    replay.script("oai/eur", "/oai", PAGE, {"file": "ListRecords-page1.xml", "delay": 1.0})
    with HttpClient(timeout=0.2, retries=1, backoff=0.01) as client, pytest.raises(HttpError) as err:
        client.get(replay.url("oai/eur") + "/oai", params=PAGE)
    assert "no answer after 2 attempts" in str(err.value) and "Timeout" in str(err.value)


def test_a_refused_connection_is_retried_then_reported() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    started = time.monotonic()
    with HttpClient(retries=2, backoff=0.05) as client, pytest.raises(HttpError) as err:
        client.get(f"http://127.0.0.1:{port}/oai")
    assert "no answer after 3 attempts" in str(err.value)
    assert time.monotonic() - started >= 0.14  # 0.05 + 0.1 of back-off


@pytest.mark.parametrize("text, message", [("ten/1", "N/SECONDS"), ("0/1", "1 or more"), ("1.5/1", "whole"),
                                           ("", "empty")])
def test_a_bad_rate_limit_is_refused_with_the_form_to_use(text: str, message: str) -> None:
    from ontology.errors import MerosError

    with pytest.raises(MerosError, match=message):
        RateLimit.parse(text)
