"""Raw pages in WARC (request + response, headers and body, gzip per record, rotated by
size), and ``newscrawl rebuild`` from them — with the portal gone — gives the crawl's records."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib

from warcio.archiveiterator import ArchiveIterator

from .helpers import ROOT, crawl_env, run_crawl, strict_records, truth_paths


def _comparable(records):
    # fetched_at is the time of extraction: a rebuild runs later by design.
    return {(r["canonical_url"], r["version"]): {k: v for k, v in r.items() if k != "fetched_at"}
            for r in records}


def test_warc_files_hold_every_exchange_and_rebuild_matches_the_crawl(portal, tmp_path):
    data = tmp_path / "data"
    run_crawl(portal, data, "-s", "NEWSCRAWL_WARC_MAX_SIZE=40000")
    portal.revise(sorted(truth_paths(portal))[0])
    run_crawl(portal, data, "--refresh", "-s", "NEWSCRAWL_WARC_MAX_SIZE=40000")
    crawled = strict_records(data)
    assert any(r["version"] == 2 for r in crawled)

    warcs = sorted((data / "demo" / "warc").glob("*.warc.gz"))
    assert len(warcs) > 2, "rotation by size did not happen"
    types: dict[str, int] = {}
    for path in warcs:
        raw = path.read_bytes()
        # gzip per record: the file is a series of gzip members, the first one is warcinfo
        first = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw)
        assert first.startswith(b"WARC/1.") and b"WARC-Type: warcinfo" in first[:400]
        assert gzip.decompress(raw)  # and the whole file reads as concatenated members
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                types[record.rec_type] = types.get(record.rec_type, 0) + 1
                if record.rec_type == "response":
                    assert record.http_headers.get_header("Content-Type")
                if record.rec_type == "request":
                    assert record.http_headers.get_header("User-Agent", "").startswith("newscrawl")
    assert types["request"] == types["response"] > len(truth_paths(portal))

    portal.stop()  # no network from here on: the rebuild must not need it
    out = tmp_path / "rebuilt"
    proc = subprocess.run([sys.executable, "-m", "newscrawl", "rebuild", str(data / "demo" / "warc"),
                           "--data-dir", str(out)], cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 requests not in the archive" in proc.stdout
    rebuilt = strict_records(out)
    assert _comparable(rebuilt) == _comparable(crawled)
    # the rebuild also writes a stats file per replayed run
    reports = sorted((out / "demo" / "runs").glob("rebuild-*.json"))
    assert len(reports) == 2
    assert json.loads(reports[0].read_text())["articles_stored"] == len(truth_paths(portal))


def test_rebuild_refuses_to_write_into_the_crawl_folder(portal, tmp_path):
    data = tmp_path / "data"
    run_crawl(portal, data)
    proc = subprocess.run([sys.executable, "-m", "newscrawl", "rebuild", str(data / "demo" / "warc"),
                           "--data-dir", str(data)], cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "rebuild into another folder" in proc.stderr


def test_each_record_is_its_own_gzip_member_and_reads_back(tmp_path):
    from newscrawl.archive.warc import RotatingWarcWriter, iter_responses

    writer = RotatingWarcWriter(tmp_path, "site", "run1", info={"software": "test"})
    page = "<html><body><p>正文 body text</p></body></html>".encode()
    # An empty, a small and a large page (larger than deflate's 32 KiB window).
    bodies = [b"", page * 50, page * 5000 + bytes(range(256)) * 40]
    for n, body in enumerate(bodies):
        writer.write_exchange(url=f"http://127.0.0.1/a{n}.html", method="GET",
                              request_headers=[("User-Agent", "newscrawl/test")], request_body=b"",
                              status=200, response_headers=[("Content-Type", "text/html")], body=body)
    writer.close()
    [path] = writer.files
    raw = path.read_bytes()
    assert gzip.decompress(raw).count(b"\r\nWARC-Type: ") == 7  # any gzip reader, members joined
    members = []
    while raw:  # split the file at gzip member ends: warcinfo, then response + request per page
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        members.append(d.decompress(raw))
        raw = d.unused_data
    kinds = [m.split(b"WARC-Type: ", 1)[1].split(b"\r\n", 1)[0] for m in members]
    assert kinds == [b"warcinfo"] + [b"response", b"request"] * 3
    pages = list(iter_responses(path))
    assert [p.url for p in pages] == [f"http://127.0.0.1/a{n}.html" for n in range(3)]
    assert [p.body for p in pages] == bodies
