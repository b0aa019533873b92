"""The reliable queue and the dupefilter against a real Redis, without a crawl."""

from __future__ import annotations

import redis
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from newscrawl.distributed.dupefilter import FingerprintDupeFilter
from newscrawl.distributed.keys import Keys
from newscrawl.distributed.queue import (
    ReliablePriorityQueue,
    inflight_count,
    requeue_dead_workers,
)
from newscrawl.distributed.settings import redis_settings


class QueueSpider(Spider):
    name = "queue-test"

    def parse(self, response):  # pragma: no cover - never downloaded
        yield from ()

    def parse_article(self, response, section=None):  # pragma: no cover
        yield from ()


def make_spider(redis_url: str, worker: str) -> Spider:
    crawler = get_crawler(QueueSpider, redis_settings(redis_url, site="demo", worker_id=worker))
    spider: Spider = QueueSpider.from_crawler(crawler)
    return spider


def make_queue(server: redis.Redis, spider: Spider) -> ReliablePriorityQueue:
    return ReliablePriorityQueue(server, spider, Keys().queue("demo"))


def test_pop_parks_the_request_until_acknowledged(redis_url):
    server = redis.Redis.from_url(redis_url)
    spider = make_spider(redis_url, "w1")
    queue = make_queue(server, spider)
    for i, priority in enumerate([0, 5, 1]):
        queue.push(Request(f"http://a.test/{i}", priority=priority, callback=spider.parse))
    first = queue.pop()
    assert first is not None and first.url == "http://a.test/1"  # highest priority first
    second = queue.pop()
    assert second is not None and second.url == "http://a.test/2"
    assert len(queue) == 1
    assert queue.processing_len() == 2
    assert queue.ack([first]) == 1
    assert queue.processing_len() == 1
    assert inflight_count(server, Keys(), "demo") == 0  # w1 never registered itself


def test_dead_workers_requests_return_with_their_priority(redis_url):
    server = redis.Redis.from_url(redis_url)
    keys = Keys()
    spider = make_spider(redis_url, "w1")
    queue = make_queue(server, spider)
    queue.push(Request("http://a.test/low", priority=-3, callback=spider.parse))
    queue.push(Request("http://a.test/high", priority=7, callback=spider.parse_article,
                       cb_kwargs={"section": "国内"}))
    assert queue.pop() is not None and queue.pop() is not None
    server.sadd(keys.site_workers("demo"), "w1")
    # w1 has a heartbeat: alive, nothing moves.
    server.set(keys.heartbeat("w1"), "x", px=60_000)
    assert requeue_dead_workers(server, keys, "demo") == (0, [])
    assert inflight_count(server, keys, "demo") == 2
    # Heartbeat gone: w1 is dead, another worker takes its requests back, best first.
    server.delete(keys.heartbeat("w1"))
    assert requeue_dead_workers(server, keys, "demo") == (2, ["w1"])
    assert inflight_count(server, keys, "demo") == 0
    other = make_queue(server, make_spider(redis_url, "w2"))
    again = other.pop()
    assert again is not None
    assert again.url == "http://a.test/high"
    assert again.callback == other.spider.parse_article
    assert again.cb_kwargs == {"section": "国内"}
    assert again.priority == 7


def test_undecodable_request_is_set_aside_not_lost(redis_url):
    server = redis.Redis.from_url(redis_url)
    spider = make_spider(redis_url, "w1")
    queue = make_queue(server, spider)
    server.zadd(queue.key, {b"not a pickle": 0})
    queue.push(Request("http://a.test/ok", callback=spider.parse))
    popped = queue.pop()
    assert popped is not None and popped.url == "http://a.test/ok"
    assert queue.undecodable == 1
    assert server.lrange(queue.dead_letter_key, 0, -1) == [b"not a pickle"]
    assert queue.processing_len() == 1  # only the good one is in flight


def test_dupefilter_uses_scrapys_fingerprints_and_keeps_its_set(redis_url):
    server = redis.Redis.from_url(redis_url)
    spider = make_spider(redis_url, "w1")
    df = FingerprintDupeFilter.from_spider(spider)
    request = Request("http://a.test/x?b=2&a=1")
    assert not df.request_seen(request)
    assert df.request_seen(Request("http://a.test/x?a=1&b=2"))  # canonical form is equal
    assert not df.request_seen(Request("http://a.test/y"))
    member = server.smembers(Keys().dupefilter("demo"))
    assert spider.crawler.request_fingerprinter.fingerprint(request) in member
    df.close("finished")
    assert server.scard(Keys().dupefilter("demo")) == 2


def test_a_leaving_worker_puts_back_what_it_holds(redis_url):
    server = redis.Redis.from_url(redis_url)
    spider = make_spider(redis_url, "w1")
    queue = make_queue(server, spider)
    for i in range(3):
        queue.push(Request(f"http://a.test/{i}", priority=i, callback=spider.parse))
    held = [queue.pop(), queue.pop()]
    assert all(held) and len(queue) == 1
    assert queue.requeue_own() == 2
    assert queue.processing_len() == 0 and not queue.inflight
    again = [queue.pop() for _ in range(3)]
    assert [r.url for r in again if r] == ["http://a.test/2", "http://a.test/1", "http://a.test/0"]
