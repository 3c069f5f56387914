#!/usr/bin/env python3
"""Run one command and print "cpu wall rss_mb" for benches/compare.sh.

CPU is the child's user + system time from wait4's resource usage, in
microseconds (GNU time prints it in steps of 10 ms, which is a sixth of
ripgrep's whole run over the corpus); wall is measured around the child
with a monotonic clock; peak RSS is the child's (and its waited-for
descendants') maximum resident set. The command's output is discarded.
"""

import os
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: measure.py COMMAND [ARG…]", file=sys.stderr)
        return 2
    start = time.perf_counter()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    print(f"{cpu:.4f} {wall:.4f} {usage.ru_maxrss / 1024:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
