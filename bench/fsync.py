#!/usr/bin/env python3
"""How long one `fdatasync` of a small write takes: appending to a file against writing
inside a file zero-filled beforehand (what the click journal does, see
crates/kith-store/src/programs/journal.rs).

    python3 bench/fsync.py [directory]      # defaults to the current one

Writes 2,000 records of 6.4 KB (a batch of ~64 clicks) each way, twice, and prints the
p50, p90 and mean time of write + fdatasync. Then 1, 2 and 3 threads each write 1 KB
records in place and sync for 3 s: whether syncs overlapping on one file finish sooner
in total (would a second writer thread shorten a click's wait?).
"""
import os
import statistics
import sys
import threading
import time


def run(directory, prepared, n=2000, record=6400):
    path = os.path.join(directory, "kith-fsync-bench.tmp")
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY)
    try:
        if prepared:
            zeros = b"\0" * (1 << 20)
            for _ in range((n * record >> 20) + 1):
                os.write(fd, zeros)
            os.fsync(fd)
        data = b"x" * record
        took = []
        for i in range(n):
            start = time.perf_counter()
            os.pwrite(fd, data, i * record)
            os.fdatasync(fd)
            took.append(time.perf_counter() - start)
    finally:
        os.close(fd)
        os.unlink(path)
    took.sort()
    print("%-9s p50 %.3f ms  p90 %.3f ms  mean %.3f ms" % (
        "in place" if prepared else "appending",
        took[n // 2] * 1e3, took[n * 9 // 10] * 1e3, statistics.mean(took) * 1e3))


def concurrent(directory, threads, seconds=3, record=1024, size=64 << 20):
    path = os.path.join(directory, "kith-fsync-bench.tmp")
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_RDWR)
    try:
        zeros = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            os.write(fd, zeros)
        os.fsync(fd)
        took = [[] for _ in range(threads)]

        def writer(t):
            data = b"x" * record
            offset = t * record
            end = time.time() + seconds
            while time.time() < end:
                start = time.perf_counter()
                os.pwrite(fd, data, offset % (size - record))
                os.fdatasync(fd)
                took[t].append(time.perf_counter() - start)
                offset += record * threads

        workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        os.close(fd)
        os.unlink(path)
    every = sorted(t for each in took for t in each)
    print("%d thread%s  %.0f syncs/s  p50 %.3f ms" % (
        threads, "" if threads == 1 else "s", len(every) / seconds,
        every[len(every) // 2] * 1e3))


if __name__ == "__main__":
    where = sys.argv[1] if len(sys.argv) > 1 else "."
    for _ in range(2):
        run(where, False)
        run(where, True)
    for threads in (1, 2, 3):
        concurrent(where, threads)
