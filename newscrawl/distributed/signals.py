"""Signals of the distributed crawl (sent with the crawler's signal manager).

``worker_died(site, worker)`` is sent, synchronously, when a worker of ``site`` is found
dead (its heartbeat expired) or when a worker starts under the id of a process that died,
*before* that worker's in-flight requests go back to the queue. The distributed archive
settles the dead worker's half-written records in its handler; if a handler fails, the
requests stay where they are until the next attempt.
"""

worker_died = object()
