"""`newscrawl extract` keeps going past a page that breaks the extractor, and says so."""

import argparse

from newscrawl.commands import extract as command


def test_a_failing_page_is_reported_and_the_rest_extracted(tmp_path, monkeypatch, capsys):
    good, bad = tmp_path / "good.html", tmp_path / "bad.html"
    good.write_bytes(b"good")
    bad.write_bytes(b"bad")

    def fake_extract(raw, url=None, **options):
        if raw == b"bad":
            raise ValueError("broken page")
        from newscrawl.record import Article
        return Article(url=url, title="t", body="b")

    monkeypatch.setattr(command, "extract_article", fake_extract)
    status = command.run(argparse.Namespace(files=[str(bad), str(good)], url=None))
    out, err = capsys.readouterr()
    assert status == 1
    assert "bad.html: extraction failed: ValueError: broken page" in err
    assert out.count("\n") == 1 and '"title":"t"' in out
