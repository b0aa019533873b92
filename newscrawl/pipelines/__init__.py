"""Item pipelines of the archive, in the order they run (``ARCHIVE_PIPELINES`` in
:mod:`newscrawl.archive.setup`): thin Scrapy adapters over :mod:`newscrawl.archive`.

Each is one concern, built with ``from_crawler``, raises ``NotConfigured`` when the archive
is off, drops with ``DropItem(reason)`` and counts ``archive/dropped/<reason>`` in the stats.
"""
