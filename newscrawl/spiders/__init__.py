"""Spiders: find article pages and hand them to :func:`newscrawl.extract_article`."""
