"""The archive's SQLite state file, opened by several crawls at once."""

from __future__ import annotations

import threading

from newscrawl.archive.state import SqliteState


def test_crawls_setting_up_a_new_state_file_at_the_same_moment_all_open_it(tmp_path):
    """Two crawls of two sites sharing a data folder may start together on a fresh folder:
    SQLite then answers "database is locked" at once to one of them (setting the journal
    mode, creating the tables) without waiting out its busy timeout. Each must open the
    file all the same. (Before the retry: about one round in thirty failed.)"""
    failures: list[str] = []
    for round_number in range(60):
        path = tmp_path / f"r{round_number}" / "state.sqlite3"
        start = threading.Barrier(8)

        def open_state(path=path, start=start):
            start.wait()
            try:
                state = SqliteState(path, timeout=10)
                state.put_url("http://example.org/a", "http://example.org/a")
                state.commit()
                state.close()
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                failures.append(repr(exc))

        threads = [threading.Thread(target=open_state) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
