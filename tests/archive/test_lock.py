import subprocess
import sys

import pytest

from newscrawl.archive.lock import LockHeld, SiteLock

HOLDER = """
import sys, time
from newscrawl.archive.lock import SiteLock
SiteLock(sys.argv[1]).acquire()
print("held", flush=True)
time.sleep(30)
"""


def test_second_holder_is_refused_and_a_killed_holder_frees_the_lock(tmp_path):
    path = tmp_path / "demo" / ".lock"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld) as info:
            SiteLock(path).acquire()
        assert f"pid {proc.pid}" in str(info.value)
    finally:
        proc.kill()
        proc.wait()
    with SiteLock(path):  # the kernel dropped the dead process's lock
        pass
