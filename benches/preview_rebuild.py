#!/usr/bin/env python3
"""Time the preview's rebuild after a one-section edit.

    preview_rebuild.py ROOT BRIEF [--edits 5] [--timeout 900]

Starts `BRIEF serve --port 0 -v` in ROOT, waits for the line that says it is
serving (the whole profile is built in memory first), then edits one section
EDITS times (appends a sentence to its body, a different one each time) and
after each edit waits for the rebuild line. The serve output is read
tolerantly, on stdout and stderr: a line with "rebuilt" or "rebuild" (any case)
followed anywhere by a number with a unit (ms, s, µs/us) counts, so the
wording around it may change. Reports, per edit, the time
the preview printed and the time from writing the file to that line (which adds
the watcher's debounce, 50 ms by default). Restores the section, stops the
server with Ctrl-C (SIGINT, to its own process id) and reports its peak memory.
Last line: RESULT {json}.
"""
import argparse
import json
import os
import queue
import re
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time

# "rebuilt in 8.1 ms", "Rebuilt 1 section in 0.01s", "rebuild took 12ms": the first
# number with a unit after the word.
REBUILT = re.compile(r"\brebuil[td]\b.*?([0-9]+(?:\.[0-9]+)?)\s*(ms|s|µs|us)\b", re.I)
BUILT = re.compile(r"\bbuilt\b.*?([0-9]+(?:\.[0-9]+)?)\s*(ms|s|µs|us)\b", re.I)
SERVING = re.compile(r"\bserving\b", re.I)
SCALE = {"ms": 1.0, "s": 1000.0, "µs": 0.001, "μs": 0.001, "us": 0.001}


def reader(stream, name, q, log):
    for line in stream:
        q.put((time.monotonic(), name, line.rstrip("\n")))
        log.write(f"{name}: {line}")
        log.flush()
    q.put((time.monotonic(), name, None))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("brief")
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for the first build")
    ap.add_argument("--log", default=os.devnull)
    a = ap.parse_args()

    sections = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(a.root, "content"))
                      for f in fs if f.endswith(".md"))
    if not sections:
        sys.exit(f"no sections under {a.root}/content")
    target = sections[len(sections) // 2]
    with open(target, encoding="utf-8") as f:
        original = f.read()

    log = open(a.log, "w")
    proc = subprocess.Popen([a.brief, "serve", "--port", "0", "-v"], cwd=a.root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    q = queue.Queue()
    for stream, name in ((proc.stdout, "stdout"), (proc.stderr, "stderr")):
        threading.Thread(target=reader, args=(stream, name, q, log), daemon=True).start()

    result = {"section": os.path.relpath(target, a.root), "edits": a.edits, "first_build_ms": None,
              "reported_ms": [], "observed_ms": [], "notes": []}
    closed = set()

    def next_line(deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                t, name, line = q.get(timeout=min(left, 1.0))
            except queue.Empty:
                if proc.poll() is not None and len(closed) == 2:
                    return None
                continue
            if line is None:
                closed.add(name)
                continue
            return t, name, line

    try:
        start = time.monotonic()
        deadline = start + a.timeout
        serving = False
        while not serving:
            got = next_line(deadline)
            if got is None:
                raise SystemExit(f"brief serve did not say it was serving within {a.timeout:.0f} s"
                                 f" (exit code {proc.poll()}); see {a.log}")
            _, _, line = got
            m = BUILT.search(line)
            if m and result["first_build_ms"] is None and not REBUILT.search(line):
                result["first_build_ms"] = float(m.group(1)) * SCALE[m.group(2).lower()]
            serving = bool(SERVING.search(line))
        result["startup_s"] = round(time.monotonic() - start, 2)
        time.sleep(1.0)
        while not q.empty():
            q.get_nowait()

        for k in range(a.edits + 1):
            last = k == a.edits
            text = original if last else original.rstrip("\n") + f"\n\nA benchmark edit, number {k + 1}.\n"
            written = time.monotonic()
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            deadline = written + 120
            while True:
                got = next_line(deadline)
                if got is None:
                    result["notes"].append(f"edit {k + 1}: no rebuild line within 120 s")
                    break
                t, _, line = got
                m = REBUILT.search(line)
                if m:
                    if not last:
                        result["reported_ms"].append(float(m.group(1)) * SCALE[m.group(2).lower()])
                        result["observed_ms"].append((t - written) * 1000.0)
                    break
            time.sleep(0.5)
    finally:
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        result["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    for key in ("reported_ms", "observed_ms"):
        v = result[key]
        result["median_" + key] = round(statistics.median(v), 2) if v else None
        result[key] = [round(x, 2) for x in v]
    print(f"preview: {a.edits} edits of {result['section']}: printed {result['reported_ms']} ms, "
          f"write-to-line {result['observed_ms']} ms; first build {result['first_build_ms']} ms; "
          f"peak memory {result['peak_rss_kb'] / 1024:.0f} MB")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
