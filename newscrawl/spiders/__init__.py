"""Spiders: find article pages and hand them to :func:`newscrawl.extract_article`.

``portal`` (start URLs → lists → articles), ``sitemap``, ``feed`` and ``urls``; all take
``-a site=PROFILE`` or ``-a url=URL``.
"""
