"""`newscrawl crawl URL` without a profile on portals built by real site generators and stock
themes (issue 11's targets): every post found and nothing else stored, and each field as the
post's front matter gives it — the time exact with the page's own UTC offset."""

from __future__ import annotations

import pytest
from portalgen import TARGETS


def test_crawl_ends_cleanly(portal_crawl):
    portal, result, _ = portal_crawl
    assert result.returncode == 0, f"{portal.generator}: exit {result.returncode}\n{result.output[-2000:]}"
    assert "Traceback" not in result.output, result.output[-3000:]


@pytest.mark.parametrize("field", list(TARGETS))
def test_field_meets_target(portal_crawl, field):
    portal, _, scored = portal_crawl
    got, target = scored.fields[field], TARGETS[field]
    assert got >= target, (
        f"{portal.generator}: {field} {got:.3f} < {target} over {scored.posts} posts, "
        f"{scored.records} records; misses: {scored.misses[field][:6]}")


def test_no_label_or_decoy_taken_for_source(portal_crawl):
    """The source is the outlet the body credits, or none: a category label (分类于, In …) or
    the site name is never one."""
    portal, _, scored = portal_crawl
    assert scored.fields["source"] >= 0.98, f"{portal.generator}: {scored.misses['source'][:6]}"
