#!/usr/bin/env python3
"""The table of compare.sh: the figures of issue 9 with their targets, met or not.

usage: compare-table.py FS.tsv S3.tsv EXTRA.tsv
  FS.tsv, S3.tsv: the results of baseline.sh's filesystem and S3 runs; EXTRA.tsv: compare.sh's own figures
  (rows: test, metric, target, run, value). Each figure is read from the run it belongs to, so a ratio always
  pairs two targets measured in the same run.

A relative figure is the median over runs of the paired ratio service/peer (run r of both measured back to back);
an absolute one is the median of the service's runs.
"""
import collections
import statistics
import sys

SERVICE_FS, SERVICE_S3 = "service-fs", "service-s3"

# label, source, test, metric, service, peer (None: absolute), comparison, bound
TARGETS = [
    ("GET 4 KiB req/s, 32 conns (fs)", "fs", "GET-4KiB(wrk-c32)", "req/s", SERVICE_FS, "nginx", ">=", 0.70),
    ("GET 4 KiB p50 latency (fs)", "fs", "GET-4KiB(wrk-c32)", "p50-ms", SERVICE_FS, "nginx", "<=", 1.5),
    ("GET 64 MiB MiB/s, 4 conns (fs)", "fs", "GET-64MiB(wrk-c4)", "MiB/s", SERVICE_FS, "nginx", ">=", 0.90),
    ("PUT 4 KiB req/s, 16 conns (fs)", "fs", "PUT-4KiB(hey-c16)", "req/s", SERVICE_FS, "nginx", ">=", 0.80),
    ("PUT 256 MiB MiB/s (fs)", "fs", "PUT-256MiB(curl)", "MiB/s", SERVICE_FS, "nginx", ">=", 0.80),
    ("PUT 4 KiB req/s (fs, fsync off)", "extra", "PUT-4KiB(hey-c16)", "req/s", SERVICE_FS + "-nofsync", "nginx",
     ">=", 0.80),
    ("PUT 256 MiB MiB/s (fs, fsync off)", "extra", "PUT-256MiB(curl)", "MiB/s", SERVICE_FS + "-nofsync", "nginx",
     ">=", 0.80),
    ("GET 64 MiB MiB/s, 4 conns (S3)", "s3", "GET-64MiB(wrk-c4)", "MiB/s", SERVICE_S3, "s3proxy", ">=", 0.85),
    ("PUT 64 MiB MiB/s (S3)", "extra", "PUT-64MiB(curl)", "MiB/s", SERVICE_S3, "s3proxy", ">=", 0.85),
    ("GET 4 KiB req/s, 32 conns (S3)", "s3", "GET-4KiB(wrk-c32)", "req/s", SERVICE_S3, "s3proxy", ">=", 0.70),
    ("RSS after load MiB (fs)", "fs", "RSS-after-load", "MiB", SERVICE_FS, None, "<=", 300),
    ("RSS after load MiB (S3)", "s3", "RSS-after-load", "MiB", SERVICE_S3, None, "<=", 300),
    ("start to healthy ms", "extra", "start-to-healthy", "ms", SERVICE_FS, None, "<=", 1500),
    # not targets: what a Vert.x server and a Vert.x proxy with nothing else in them reach here (ceilings.sh), and
    # what one core hashes with MD5 (ceilings/Md5Rate.java: the ETag of a PUT is the MD5 of its body)
    ("ceiling: bare Vert.x GET 4 KiB", "extra", "ceiling-GET-4KiB(wrk-c32)", "req/s", "vertx-bare", "nginx",
     "info", None),
    ("ceiling: bare Vert.x GET 4 KiB file", "extra", "ceiling-GET-4KiB(wrk-c32)", "req/s", "vertx-bare-file",
     "nginx", "info", None),
    ("ceiling: bare Vert.x PUT 4 KiB", "extra", "ceiling-PUT-4KiB(hey-c16)", "req/s", "vertx-bare-put", "nginx",
     "info", None),
    ("ceiling: JDK MD5 1 core vs PUT 256 MiB", "extra", "PUT-256MiB(curl)", "MiB/s", "md5-1core", "nginx",
     "info", None),
    ("ceiling: bare Vert.x proxy PUT 64 MiB", "extra", "PUT-64MiB(curl)", "MiB/s", "vertx-proxy", "s3proxy",
     "info", None),
    ("ceiling: bare Vert.x proxy GET 64 MiB", "extra", "ceiling-GET-64MiB(wrk-c4)", "MiB/s", "vertx-proxy",
     "nginx", "info", None),
]


def load(path):
    data = collections.defaultdict(dict)  # (test, metric, target) -> {run: value}
    for line in open(path):
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5 or line.startswith("#"):
            continue
        test, metric, target, run, value = fields
        try:
            data[(test, metric, target)][run] = float(value)
        except ValueError:
            pass
    return data


def fmt(v):
    return "%.0f" % v if abs(v) >= 100 else "%.1f" % v if abs(v) >= 10 else "%.2f" % v


def med(d):
    return statistics.median(d.values()) if d else None


def main(fs, s3, extra):
    sources = {"fs": load(fs), "s3": load(s3), "extra": load(extra)}
    rows = [("figure", "service med", "peer med", "ratio med [min-max]", "target", "verdict")]
    for label, source, test, metric, service, peer, op, bound in TARGETS:
        data = sources[source]
        own = data.get((test, metric, service), {})
        if peer is None:
            value = med(own)
            peer_cell, ratio_cell = "-", "-"
            shown = value
        else:
            base = data.get((test, metric, peer), {})
            ratios = sorted(own[r] / base[r] for r in own if base.get(r))
            value = statistics.median(ratios) if ratios else None
            peer_cell = fmt(med(base)) if base else "n/a"
            ratio_cell = "%.2f [%.2f-%.2f]" % (value, ratios[0], ratios[-1]) if ratios else "n/a"
            shown = med(own)
        target = "-" if op == "info" else ("%s %s x %s" % (op, bound, peer)) if peer else ("%s %s" % (op, fmt(bound)))
        if op == "info":
            verdict = "-"
        elif value is None:
            verdict = "no data"
        else:
            met = value >= bound if op == ">=" else value <= bound
            verdict = "met" if met else "NOT met"
        runs = len(own)
        rows.append((label, (fmt(shown) if shown is not None else "n/a") + (" n=%d" % runs if runs < 3 else ""),
                     peer_cell, ratio_cell, target, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
