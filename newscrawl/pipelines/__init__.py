"""Item pipelines of the archive, in the order they run (see ``ARCHIVE_PIPELINES``).

Each is one concern, built with ``from_crawler``, raises ``NotConfigured`` when the archive
is off, drops with ``DropItem(reason)`` and counts ``archive/dropped/<reason>`` in the stats.
"""

ARCHIVE_PIPELINES = {
    "newscrawl.pipelines.normalise.NormalisePipeline": 100,
    "newscrawl.pipelines.validate.ValidatePipeline": 200,
    "newscrawl.pipelines.dedupe.DedupePipeline": 300,
    "newscrawl.pipelines.store.StorePipeline": 400,
}
