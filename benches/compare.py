#!/usr/bin/env python3
"""Peer comparison: sgsearch vs ripgrep vs SQLite FTS5 on one generated corpus, in one run.

Usage (normally through benches/compare.sh, which installs the peers, builds and generates):
    python3 benches/compare.py --size 200MB [--bin PATH]

Writes target/bench/compare-SIZE.json (every raw timing) and target/bench/compare-SIZE.md.
The machine's speed drifts over minutes, so the peers are timed in the same run and
interleaved: builds alternate, latencies alternate per query, whole-process runs go
round-robin over the peers, and the two batch runs go ABBA.

`python3 benches/compare.py fts5-build --corpus DIR --db FILE` is the FTS5 indexer; it is
run as a child process under /usr/bin/time -v so its wall time and peak RSS are measured
like sgsearch's.
"""

import argparse
import datetime
import html
import json
import math
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "target" / "bench"
PAGE_EXTS = (".txt", ".text", ".html", ".htm")  # what sgsearch reads
RG_GLOBS = [a for e in PAGE_EXTS for a in ("-g", "*" + e)]

# Repetitions (reduced for slow peers; the report states what was used).
LAT_RUNS = 50          # warm in-process latency, per query and engine (after 1 warm-up)
PROC_RUNS = 30         # whole-process search, per query (sgsearch, FTS5)
RG_PROC_BUDGET_S = 6.0  # ripgrep whole-process: as many runs as fit this budget per query, 5..30
COUNT_RUNS = 5         # exhaustive count, median of
RG_FAST_COUNT_RUNS = 3  # ripgrep's fastest (-w/-F) count form, median of
MENTION_RUNS = 3       # mentions export, median of
BATCH_QUERIES = 10_000

# ------------------------------------------------------------------------------- queries

WORD_B = r"(?<![\p{L}\p{N}])"   # sgsearch: a token is a run of alphanumeric characters
WORD_E = r"(?![\p{L}\p{N}])"
SEP = r"[^\p{L}\p{N}]+"         # a phrase's words are separated by any run of non-alphanumerics


class Query:
    """One query and its equivalent in each peer.

    sg:        sgsearch query string (flags in sg_flags for the whole-process runs)
    inproc:    the same query in the query language, for `bench-queries` (which takes no flags);
               None when it cannot be expressed (sorting)
    fts:       FTS5 MATCH expression, or None (sgsearch-only query)
    alts:      ripgrep-comparable form: list of alternatives, each a list of words (a phrase);
               None when ripgrep has no equivalent count (AND at item level, proximity)
    prefix:    ripgrep-comparable prefix (word starting with it) instead of alts
    """

    def __init__(self, qid, kind, sg, fts=None, alts=None, prefix=None, sg_flags=(), inproc="same", note=""):
        self.id, self.kind, self.sg, self.fts = qid, kind, sg, fts
        self.alts, self.prefix, self.sg_flags = alts, prefix, list(sg_flags)
        self.inproc = sg if inproc == "same" else inproc
        self.note = note

    @property
    def label(self):
        return " ".join([self.sg] + self.sg_flags)

    @property
    def rg_comparable(self):
        return self.alts is not None or self.prefix is not None

    @property
    def peer_query(self):
        """Query with FTS5/ripgrep equivalents (not an sgsearch-only filtered variant)."""
        return self.fts is not None

    def rg_exact_regex(self, pcre):
        """Regex with sgsearch's token semantics (case-insensitive flag given separately)."""
        b, e, sep = (WORD_B, WORD_E, SEP) if pcre else (r"\b", r"\b", SEP)
        if self.prefix is not None:
            return b + re.escape(self.prefix) + r"[\p{L}\p{N}]*"
        body = "|".join(sep.join(re.escape(w) for w in words) for words in self.alts)
        return b + "(?:" + body + ")" + e

    def rg_simple_args(self):
        """ripgrep's everyday form (-w, and -F when literal): for listing files and a fast count.

        A phrase written this way only matches its words separated by exactly one space."""
        if self.prefix is not None:
            return ["-i", "-w", "-e", re.escape(self.prefix) + r"\w*"]
        if self.alts is None:
            return None
        args = ["-i", "-w", "-F"]
        for words in self.alts:
            args += ["-e", " ".join(words)]
        return args


RARE_TERM = "vindzyn"  # a generator pseudo-word: ~0.06 % of pages at any size (checked in the run)

QUERIES = [
    Query("children", "frequent term", "children", "children", [["children"]]),
    Query("neglect", "mid-frequency term", "neglect", "neglect", [["neglect"]]),
    Query("fostering", "mid-frequency term", "fostering", "fostering", [["fostering"]]),
    Query("adoption", "mid-frequency term", "adoption", "adoption", [["adoption"]]),
    Query("rare", "rare term", RARE_TERM, RARE_TERM, [[RARE_TERM]]),
    Query("CSE", "acronym", "CSE", "CSE", [["cse"]]),
    Query("MASH", "acronym", "MASH", "MASH", [["mash"]]),
    Query("county-lines", "phrase", '"county lines"', '"county lines"', [["county", "lines"]]),
    Query("cse-phrase", "phrase", '"child sexual exploitation"', '"child sexual exploitation"',
          [["child", "sexual", "exploitation"]]),
    Query("missing-home", "phrase", '"missing from home"', '"missing from home"', [["missing", "from", "home"]]),
    Query("lac", "phrase", '"looked after children"', '"looked after children"', [["looked", "after", "children"]]),
    Query("and", "boolean AND", "fostering AND adoption", "fostering AND adoption",
          note="sgsearch matches items, ripgrep only lines or files: no equivalent count"),
    Query("or", "boolean OR", 'cse OR "sexual exploitation"', 'cse OR "sexual exploitation"',
          [["cse"], ["sexual", "exploitation"]]),
    Query("near", "proximity", '"missing children"~3', "NEAR(missing children, 3)",
          note="FTS5 NEAR is unordered, sgsearch's ~3 is in order; no ripgrep equivalent count"),
    Query("prefix", "prefix", "exploit*", "exploit*", prefix="exploit"),
    # sgsearch-only filtered variants (no metadata in the peers)
    Query("f-committee", "filter: committee", "children", sg_flags=["--committee", "cabinet"],
          inproc="children committee:cabinet"),
    Query("f-dates", "filter: dates", '"missing from home"', sg_flags=["--from", "2015", "--to", "2019"],
          inproc='"missing from home" date:[2015 TO 2019]'),
    Query("f-topic", "filter: topic", "children", sg_flags=["--topic", "cse"], inproc="children topic:cse"),
    Query("f-sort", "sort by date", "neglect", sg_flags=["--sort", "date"], inproc=None,
          note="bench-queries has no sort option: whole-process and batch only"),
]

FTS_SEARCH_SQL = ("SELECT path, snippet(docs, 1, '[[', ']]', '…', 24), bm25(docs) FROM docs "
                  "WHERE docs MATCH ? ORDER BY rank LIMIT 10")
FTS_COUNT_SQL = "SELECT count(*) FROM docs WHERE docs MATCH ?"

# ------------------------------------------------------------------------------- helpers


def log(msg):
    print(f"[compare {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loud(msg):
    bar = "!" * 78
    print(f"\n{bar}\n!! {msg}\n{bar}\n", file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run(cmd, capture=False, ok=(0,), stdout=None, env=None):
    """Run a command, return (seconds, CompletedProcess). Raises on an unexpected exit code."""
    out = subprocess.PIPE if capture else (stdout if stdout is not None else subprocess.DEVNULL)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    if p.returncode not in ok:
        err = p.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"command failed with exit code {p.returncode}: {' '.join(map(str, cmd))}\n{err}")
    return dt, p


def descendants(pid):
    """Every process below pid (the command under /usr/bin/time, and its children)."""
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        try:
            kids = [int(k) for k in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            kids = []
        out += kids
        stack += kids
    return out


def rss_anon_bytes(pid):
    """Anonymous resident memory (heap, stacks): what a memory budget governs. RSS also counts
    file pages mapped from disk (the index files a merge reads), which the kernel can drop."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_sampled(cmd):
    """run(cmd, capture=True), also sampling the peak anonymous memory of its processes every 20 ms."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        peak = 0
        while proc.poll() is None:
            peak = max([peak] + [rss_anon_bytes(p) for p in descendants(proc.pid)])
            time.sleep(0.02)
        dt = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        p = subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read())
    if p.returncode != 0:
        raise RuntimeError(f"command failed with exit code {p.returncode}: {' '.join(map(str, cmd))}\n"
                           f"{p.stderr.decode('utf-8', 'replace')[-2000:]}")
    return dt, p, peak


def pct(values, p):
    """Nearest-rank percentile of a list (p in 0..100)."""
    s = sorted(values)
    if not s:
        return float("nan")
    i = min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))
    return s[i]


def median(values):
    return statistics.median(values) if values else float("nan")


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_snapshot():
    """(monotonic s, machine busy CPU-s, steal CPU-s, CPU-s used by this process and its children)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = v
    own = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        own += ru.ru_utime + ru.ru_stime
    return time.monotonic(), (user + nice + system + irq + softirq) / CLK_TCK, steal / CLK_TCK, own


def cpu_delta(a, b):
    """Average cores used by other processes, and stolen by the hypervisor, between two snapshots."""
    wall = b[0] - a[0]
    others = max(0.0, (b[1] - a[1]) - (b[3] - a[3]))
    return {"wall_s": round(wall, 1), "others_cores": round(others / wall, 3) if wall else 0.0,
            "steal_cores": round((b[2] - a[2]) / wall, 3) if wall else 0.0}


def parse_time_v(path):
    """Wall seconds, peak RSS (bytes) and CPU % from a /usr/bin/time -v report."""
    text = Path(path).read_text()
    wall = re.search(r"Elapsed \(wall clock\) time.*?: (\S+)", text).group(1)
    parts = [float(x) for x in wall.split(":")]
    secs = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = re.search(r"Percent of CPU this job got: (\S+)", text).group(1)
    return {"wall_s": secs, "rss_bytes": rss_kb * 1024, "cpu": cpu}


def du_bytes(path):
    return int(subprocess.run(["du", "-sb", str(path)], check=True, capture_output=True, text=True).stdout.split()[0])


def ratio_text(peer, sg):
    """'12.3× faster' when sgsearch takes less time than the peer."""
    if not (peer and sg) or any(map(math.isnan, (peer, sg))):
        return "n/a"
    r = peer / sg
    if 1 / 1.05 < r < 1.05:
        return f"about the same ({r:.2f}×)"
    if r >= 1:
        return f"{fmt_ratio(r)} faster"
    return f"{fmt_ratio(1 / r)} slower"


def fmt_ratio(r):
    if r >= 100:
        return f"{r:,.0f}×"
    if r >= 10:
        return f"{r:.0f}×"
    return f"{r:.1f}×"


def ms(seconds):
    """Format seconds as milliseconds with sensible precision."""
    if seconds is None or math.isnan(seconds):
        return "n/a"
    v = seconds * 1000
    if v < 1:
        return f"{v:.3f} ms"
    if v < 10:
        return f"{v:.2f} ms"
    if v < 100:
        return f"{v:.1f} ms"
    return f"{v:,.0f} ms"


def secs(s):
    return f"{s:.1f} s" if s < 100 else f"{s:,.0f} s"


def mb(b):
    return f"{b / 1e6:,.0f} MB"


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


# ------------------------------------------------------------------------------- FTS5 indexer

SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)
TAG = re.compile(r"<[^>]*>")


def decode_page(raw):
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def visible_text(path, text):
    if path.lower().endswith((".html", ".htm")):
        text = SCRIPT_STYLE.sub(" ", COMMENT.sub(" ", text))
        text = html.unescape(TAG.sub(" ", text))
    return text


def page_files(corpus):
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for f in sorted(files):
            if f.lower().endswith(PAGE_EXTS):
                yield os.path.join(root, f)


def fts5_build(corpus, db):
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, "
                "tokenize='unicode61 remove_diacritics 2')")
    t0 = time.perf_counter()
    n = nbytes = 0
    con.execute("BEGIN")
    for path in page_files(corpus):
        with open(path, "rb") as f:
            raw = f.read()
        nbytes += len(raw)
        n += 1
        con.execute("INSERT INTO docs(path, body) VALUES (?, ?)", (os.path.realpath(path), visible_text(path, decode_page(raw))))
    con.execute("COMMIT")
    t1 = time.perf_counter()
    con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    con.commit()
    t2 = time.perf_counter()
    con.close()
    print(json.dumps({"files": n, "bytes": nbytes, "insert_s": t1 - t0, "optimize_s": t2 - t1}))


FTS_PROC_SCRIPT = """import sqlite3, sys
con = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
for row in con.execute(sys.argv[2], (sys.argv[3],)):
    print(*row, sep='|')
"""

# ------------------------------------------------------------------------------- the comparison


class Compare:
    def __init__(self, size, sg_bin, pcre, sqlite_cli, wait_idle):
        self.size = size
        self.wait_idle = wait_idle
        self.conditions = {}
        self.sg = str(sg_bin)
        self.corpus = (BENCH / f"corpus-{size}").resolve()
        self.idx = BENCH / f"cmp-index-{size}"
        self.db = BENCH / f"cmp-fts5-{size}.db"
        self.pcre = pcre
        self.sqlite_cli = sqlite_cli
        self.res = {"size": size, "queries": [], "sections": {}}
        self.mismatches = []

    # -- commands
    def sg_cmd(self, *args):
        return [self.sg, "--index", str(self.idx), *args]

    def rg_exact_cmd(self, q, mode):
        flags = ["-i", "-U"] + (["-P"] if self.pcre else [])
        out = {"count": ["--count-matches"], "only": ["-o"]}[mode]
        return ["rg", "--no-ignore", *flags, *out, *RG_GLOBS, "-e", q.rg_exact_regex(self.pcre), str(self.corpus)]

    def rg_simple_cmd(self, q, mode):
        out = {"list": ["-l"], "count": ["--count-matches"]}[mode]
        return ["rg", "--no-ignore", *q.rg_simple_args(), *out, *RG_GLOBS, str(self.corpus)]

    def fts_proc_cmd(self, sql, match):
        if self.sqlite_cli:
            return [self.sqlite_cli, "-readonly", str(self.db), sql.replace("?", sql_quote(match))]
        return [sys.executable, "-c", FTS_PROC_SCRIPT, str(self.db), sql, match]

    # -- conditions: other work on the machine skews every figure, so it is measured
    def section(self, name, fn):
        waited = 0.0
        while True:
            a = cpu_snapshot()
            time.sleep(1.0)
            busy = cpu_delta(a, cpu_snapshot())["others_cores"]
            if busy < 0.15 or waited >= self.wait_idle:
                break
            if waited == 0:
                log(f"{name}: other processes use {busy:.2f} cores; waiting up to {self.wait_idle:.0f} s for quiet")
            time.sleep(4.0)
            waited += 5.0
        if busy >= 0.15:
            loud(f"{name}: starting although other processes use {busy:.2f} cores (waited {waited:.0f} s)")
        a = cpu_snapshot()
        fn()
        d = cpu_delta(a, cpu_snapshot())
        d.update(busy_before=round(busy, 2), waited_s=waited)
        self.conditions[name] = d
        log(f"{name}: {d['wall_s']:.0f} s; other processes used {d['others_cores']:.2f} cores on average, "
            f"steal {d['steal_cores']:.2f}")

    # -- 0. facts
    def facts(self):
        files = list(page_files(self.corpus))
        nbytes = sum(os.path.getsize(f) for f in files)
        cpu = "unknown"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
        git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        rg_v = subprocess.run(["rg", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        self.res["facts"] = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "ram_gib": round(mem_kb / 1048576, 1), "cpu": cpu,
            "loadavg_start": loadavg(),
            "corpus": str(self.corpus), "pages": len(files), "bytes": nbytes,
            "sgsearch_commit": (git.stdout.strip() or "unknown") + (" (uncommitted changes)" if dirty else ""),
            "ripgrep": rg_v, "ripgrep_pcre2": self.pcre,
            "sqlite": sqlite3.sqlite_version,
            "fts5_process": (f"sqlite3 CLI ({self.sqlite_cli})" if self.sqlite_cli
                             else "python3 -c script (sqlite3 CLI not found)"),
            "python": sys.version.split()[0],
        }
        self.pages, self.bytes = len(files), nbytes
        log(f"corpus {self.corpus}: {len(files):,} pages, {nbytes / 1e6:,.0f} MB; load {loadavg()}")

    # -- 1. index build
    def build(self):
        rounds = 2 if self.bytes < 500e6 else 1
        order = ["sg", "fts", "fts", "sg"] if rounds == 2 else ["sg", "fts"]
        runs = {"sg": [], "fts": []}
        tv = BENCH / f"cmp-time-{self.size}.txt"
        # The first build would otherwise read the corpus from disk and the others from the
        # page cache (2-3 s of 8 at 200 MB): read it once, untimed, so that every build
        # starts alike. (A corpus larger than the page cache is partly re-read by all.)
        for f in sorted(self.corpus.rglob("*")):
            if f.is_file():
                with open(f, "rb") as fh:
                    while fh.read(1 << 20):
                        pass
        for who in order:
            log(f"build: {who} (load {loadavg()})")
            snap = cpu_snapshot()
            if who == "sg":
                _, p, anon = run_sampled(["/usr/bin/time", "-v", "-o", str(tv),
                                          *self.sg_cmd("index", "--rebuild", "--quiet", "--format", "json",
                                                       str(self.corpus))])
                summary = json.loads(p.stdout)
                r = parse_time_v(tv)
                r["anon_bytes"] = anon
                r.update(size_bytes=du_bytes(self.idx), files=summary["files_indexed"], items=summary["items"],
                         chunks=summary["chunks"], skipped=len(summary["files_skipped"]))
            else:
                _, p, anon = run_sampled(["/usr/bin/time", "-v", "-o", str(tv), sys.executable,
                                          str(Path(__file__).resolve()), "fts5-build", "--corpus", str(self.corpus),
                                          "--db", str(self.db)])
                r = parse_time_v(tv)
                r["anon_bytes"] = anon
                r.update(json.loads(p.stdout), size_bytes=du_bytes(self.db))
            r["loadavg"] = loadavg()
            r["others_cores"] = cpu_delta(snap, cpu_snapshot())["others_cores"]
            runs[who].append(r)
            log(f"  {who}: {r['wall_s']:.1f} s, {self.bytes / 1e6 / r['wall_s']:.1f} MB/s, "
                f"RSS {r['rss_bytes'] / 1e6:.0f} MB, size {r['size_bytes'] / 1e6:.0f} MB")
        self.res["sections"]["build"] = {"order": order, "runs": runs}

    # -- sanity of the query list
    def check_queries(self):
        """Hit counts (items in sgsearch, pages in FTS5) and the rare term's page share."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        info = {}
        for q in QUERIES:
            d = {"id": q.id, "label": q.label, "kind": q.kind, "fts": q.fts, "note": q.note,
                 "rg_exact": q.rg_exact_regex(self.pcre) if q.rg_comparable else None}
            if q.fts:
                d["fts_pages"] = con.execute(FTS_COUNT_SQL, (q.fts,)).fetchone()[0]
            info[q.id] = d
        con.close()
        rare = info["rare"]["fts_pages"] / self.pages
        info["rare"]["page_share"] = rare
        if not 0 < rare < 0.001:
            loud(f"the rare term {RARE_TERM!r} is on {rare:.3%} of pages (wanted > 0 and < 0.1 %)")
        self.res["queries"] = list(info.values())
        self.qinfo = info

    # -- 3. warm in-process latency
    def latency(self):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        out = {}
        tmp = BENCH / f"cmp-lat-{self.size}.txt"
        for i, q in enumerate(QUERIES):
            if q.inproc is None:
                continue
            d = out[q.id] = {}
            order = ["sg", "fts"] if i % 2 == 0 else ["fts", "sg"]
            for who in order:
                if who == "sg":
                    # bench-queries prints percentiles per line; one line per timed run (--repeat 1,
                    # each after its own warm-up run) keeps every timing so they can be pooled.
                    tmp.write_text((q.inproc + "\n") * LAT_RUNS)
                    _, p = run(self.sg_cmd("bench-queries", str(tmp), "--mode", "search", "--repeat", "1"),
                               capture=True)
                    lines = [json.loads(x) for x in p.stdout.decode().splitlines() if x.strip()]
                    if len(lines) != LAT_RUNS:
                        raise RuntimeError(f"bench-queries printed {len(lines)} lines for {LAT_RUNS}")
                    d["sg_us"] = [x["p50_us"] for x in lines]
                    d["sg_total"] = lines[0]["result"]
                elif q.fts:
                    con.execute(FTS_SEARCH_SQL, (q.fts,)).fetchall()  # warm-up
                    times = []
                    for _ in range(LAT_RUNS):
                        t0 = time.perf_counter()
                        rows = con.execute(FTS_SEARCH_SQL, (q.fts,)).fetchall()
                        times.append((time.perf_counter() - t0) * 1e6)
                    d["fts_us"] = times
                    d["fts_rows"] = len(rows)
            log(f"latency {q.label}: sg p50 {median(d['sg_us']) / 1000:.2f} ms"
                + (f", fts5 p50 {median(d['fts_us']) / 1000:.2f} ms" if "fts_us" in d else ""))
        con.close()
        self.res["sections"]["latency"] = out

    # -- 4. whole-process latency
    def processes(self):
        out = {}
        for q in QUERIES:
            cmds = {"sg": self.sg_cmd("search", "--limit", "10", "--format", "json", *q.sg_flags, q.sg)}
            if q.fts:
                cmds["fts"] = self.fts_proc_cmd(FTS_SEARCH_SQL, q.fts)
            if q.rg_comparable:
                cmds["rg"] = self.rg_simple_cmd(q, "list")
            reps = {k: PROC_RUNS for k in cmds}
            times = {k: [] for k in cmds}
            for k, cmd in cmds.items():  # warm-up (OS cache), and ripgrep's repetitions from its speed
                dt, _ = run(cmd, ok=(0, 1) if k == "rg" else (0,))
                if k == "rg":
                    reps["rg"] = max(5, min(PROC_RUNS, int(RG_PROC_BUDGET_S / dt)))
            for i in range(max(reps.values())):
                keys = list(cmds)
                keys = keys[i % len(keys):] + keys[:i % len(keys)]  # rotate who goes first
                for k in keys:
                    if len(times[k]) < reps[k]:
                        dt, _ = run(cmds[k], ok=(0, 1) if k == "rg" else (0,))
                        times[k].append(dt)
            out[q.id] = {"cmds": cmds, "times_s": times}
            log(f"process {q.label}: " + ", ".join(f"{k} p50 {median(v) * 1000:.1f} ms ({len(v)} runs)"
                                                   for k, v in times.items()))
        self.res["sections"]["process"] = out

    # -- 5 + 7. exhaustive counts, and agreement with ripgrep
    def counts(self):
        out = {}
        for q in QUERIES:
            if not q.peer_query:
                continue
            cmds = {"sg": self.sg_cmd("count", "--format", "json", q.sg),
                    "fts": self.fts_proc_cmd(FTS_COUNT_SQL, q.fts)}
            if q.rg_comparable:
                cmds["rg"] = self.rg_exact_cmd(q, "count")
                cmds["rg_fast"] = self.rg_simple_cmd(q, "count")
            reps = {k: COUNT_RUNS for k in cmds}
            if "rg_fast" in reps:
                reps["rg_fast"] = RG_FAST_COUNT_RUNS
            times = {k: [] for k in cmds}
            outputs = {}
            for k, cmd in cmds.items():  # warm-up, keeping the answers
                _, p = run(cmd, capture=True, ok=(0, 1) if k.startswith("rg") else (0,))
                outputs[k] = p.stdout.decode("utf-8", "replace")
            for i in range(COUNT_RUNS):
                for k, cmd in cmds.items():
                    if len(times[k]) < reps[k]:
                        dt, _ = run(cmd, capture=True, ok=(0, 1) if k.startswith("rg") else (0,))
                        times[k].append(dt)
            sgc = json.loads(outputs["sg"])
            d = {"cmds": cmds, "times_s": times, "sg_items": sgc["items"], "sg_mentions": sgc["mentions"],
                 "fts_pages": int(outputs["fts"].strip() or 0)}
            if q.rg_comparable:
                per_file = rg_per_file(outputs["rg"])
                d["rg_matches"] = sum(per_file.values())
                d["rg_files"] = len(per_file)
                d["rg_by_ext"] = by_ext(per_file)
                d["rg_fast_matches"] = sum(rg_per_file(outputs["rg_fast"]).values())
                d["agree"] = d["rg_matches"] == d["sg_mentions"]
                if not d["agree"]:
                    d["diff"] = self.diagnose(q, per_file)
                    loud(f"COUNT MISMATCH for {q.label}: sgsearch mentions {d['sg_mentions']:,} vs ripgrep "
                         f"{d['rg_matches']:,}; differing files: {len(d['diff']['files'])}; "
                         f"first: {d['diff']['files'][:3]}")
                    self.mismatches.append({"query": q.label, "sg": d["sg_mentions"], "rg": d["rg_matches"],
                                            **d["diff"]})
            out[q.id] = d
            log(f"count {q.label}: sg {d['sg_mentions']:,} mentions / {d['sg_items']:,} items "
                f"({median(times['sg']) * 1000:.1f} ms)"
                + (f"; rg {d['rg_matches']:,} ({median(times['rg']) * 1000:.0f} ms) "
                   f"{'AGREE' if d['agree'] else 'MISMATCH'}" if q.rg_comparable else "")
                + f"; fts5 {d['fts_pages']:,} pages ({median(times['fts']) * 1000:.1f} ms)")
        self.res["sections"]["count"] = out

    def diagnose(self, q, rg_per_file_counts):
        """Per-file comparison of ripgrep's counts with sgsearch's mention rows."""
        _, p = run(self.sg_cmd("mentions", "--quiet", "--format", "jsonl", q.sg), capture=True)
        sg_files = {}
        for line in p.stdout.decode().splitlines():
            src = os.path.realpath(json.loads(line)["source"])
            sg_files[src] = sg_files.get(src, 0) + 1
        rows_by_file = {}
        for line in p.stdout.decode().splitlines():
            r = json.loads(line)
            rows_by_file.setdefault(os.path.realpath(r["source"]), []).append(
                f"{r['left'][-40:]} [{r['match']}] {r['right'][:40]}")
        files = []
        for f in sorted(set(sg_files) | set(rg_per_file_counts)):
            a, b = sg_files.get(f, 0), rg_per_file_counts.get(f, 0)
            if a != b:
                files.append({"file": os.path.relpath(f, self.corpus), "sg": a, "rg": b})
        diff_hist = {}
        for x in files:
            k = x["rg"] - x["sg"]
            diff_hist[k] = diff_hist.get(k, 0) + 1
        samples = []
        for x in files[:3]:  # what each side saw in the first differing files
            path = str(self.corpus / x["file"])
            _, rp = run(["rg", "--no-ignore", "-n", "-i", "-U", *(["-P"] if self.pcre else []), "-o", "-e",
                         q.rg_exact_regex(self.pcre), path], capture=True, ok=(0, 1))
            _, lp = run(["rg", "--no-ignore", "-n", "-i", *(["-P"] if self.pcre else []), "-e",
                         q.rg_exact_regex(self.pcre), path], capture=True, ok=(0, 1))
            samples.append({"file": x["file"], "rg_lines": lp.stdout.decode("utf-8", "replace").splitlines()[:12],
                            "sg_rows": rows_by_file.get(os.path.realpath(path), [])[:12]})
        return {"files": files, "rg_minus_sg_per_file": diff_hist, "samples": samples,
                "sg_by_ext": by_ext(sg_files), "rg_by_ext": by_ext(rg_per_file_counts)}

    # -- 6. mentions export
    def mentions(self):
        out = {}
        for q in QUERIES:
            if not q.peer_query:
                continue
            cmds = {"sg": self.sg_cmd("mentions", "--quiet", q.sg)}
            if q.rg_comparable:
                cmds["rg"] = self.rg_exact_cmd(q, "only")
            times = {k: [] for k in cmds}
            with open(os.devnull, "wb") as null:
                for k, cmd in cmds.items():  # warm-up
                    run(cmd, stdout=null, ok=(0, 1) if k == "rg" else (0,))
                for i in range(MENTION_RUNS):
                    for k, cmd in cmds.items():
                        dt, _ = run(cmd, stdout=null, ok=(0, 1) if k == "rg" else (0,))
                        times[k].append(dt)
            out[q.id] = {"cmds": cmds, "times_s": times}
            log(f"mentions {q.label}: " + ", ".join(f"{k} {median(v) * 1000:.0f} ms" for k, v in times.items()))
        self.res["sections"]["mentions"] = out

    # -- 8. batch throughput
    def batch(self):
        qfile = BENCH / f"cmp-batch-{self.size}.jsonl"
        with open(qfile, "w") as f:
            for i in range(BATCH_QUERIES):
                q = QUERIES[i % len(QUERIES)]
                line = {"id": i, "query": q.sg}
                fl = q.sg_flags
                for j in range(0, len(fl), 2):
                    key, val = fl[j].lstrip("-"), fl[j + 1]
                    if key == "topic":
                        line["topics"] = [val]
                    else:
                        line[key] = val
                f.write(json.dumps(line) + "\n")
        rounds = 2 if self.bytes < 500e6 else 1
        order = ["1", "2", "2", "1"] if rounds == 2 else ["1", "2"]
        runs = {"1": [], "2": []}
        digests = {}
        for t in order:
            outf = BENCH / f"cmp-batch-out-{self.size}-t{t}.jsonl"
            a = cpu_snapshot()
            with open(outf, "wb") as fo:
                dt, _ = run(self.sg_cmd("batch", "--threads", t, str(qfile)), stdout=fo)
            b = cpu_snapshot()
            cpu = (b[3] - a[3]) / dt  # cores this run used
            others = cpu_delta(a, b)["others_cores"]
            lines = outf.read_bytes().splitlines()
            errors = [ln for ln in lines if b'"error"' in ln and json.loads(ln).get("error")]
            if len(lines) != BATCH_QUERIES:
                loud(f"batch --threads {t} printed {len(lines)} lines for {BATCH_QUERIES} queries")
            if errors:
                loud(f"batch --threads {t}: {len(errors)} error lines, first: {errors[0][:300]!r}")
            digests[t] = [strip_took(ln) for ln in lines]
            runs[t].append({"s": dt, "lines": len(lines), "errors": len(errors), "cpu_cores": round(cpu, 2),
                            "others_cores": others, "loadavg": loadavg()})
            log(f"batch --threads {t}: {dt:.1f} s, {BATCH_QUERIES / dt:,.0f} queries/s, {len(lines):,} lines, "
                f"{cpu * 100:.0f} % CPU, others {others:.2f} cores")
        same = digests["1"] == digests["2"]
        if not same:
            loud("batch output differs between --threads 1 and --threads 2")
        self.res["sections"]["batch"] = {"order": order, "runs": runs, "identical_output": same,
                                         "queries_file": str(qfile)}

    # ---------------------------------------------------------------------------- report
    def report(self):
        R, F = self.res["sections"], self.res["facts"]
        md = []
        md.append(f"## Peer comparison: {self.size} corpus\n")
        md.append(
            f"{F['date']}; {F['nproc']} cores ({F['cpu']}), {F['ram_gib']} GiB RAM; load average "
            f"{F['loadavg_start']} at the start, {F['loadavg_end']} at the end. sgsearch {F['sgsearch_commit']}, "
            f"{F['ripgrep']} (PCRE2 {'yes' if F['ripgrep_pcre2'] else 'no'}), SQLite {F['sqlite']} (FTS5, "
            f"`unicode61 remove_diacritics 2`). Corpus: `gen-corpus --size {self.size} --seed 42`, "
            f"{F['pages']:,} pages (.txt/.html), {F['bytes'] / 1e6:,.0f} MB. All peers were timed in this one run, "
            f"interleaved (builds alternate, latencies alternate per query, processes go round-robin), "
            f"because this machine's speed drifts by up to 50 % over an hour; the OS cache was warm "
            f"(one untimed run first). Raw timings: `target/bench/compare-{self.size}.json`.\n")

        # conditions
        rows = []
        worst = 0.0
        for name, d in self.conditions.items():
            worst = max(worst, d["others_cores"])
            rows.append([name, secs(d["wall_s"]), f"{d['others_cores']:.2f}", f"{d['steal_cores']:.2f}",
                         f"{d['waited_s']:.0f} s" if d["waited_s"] else "–"])
        md.append("### Conditions\n")
        if worst >= 0.15:
            md.append(f"**Warning: other processes used up to {worst:.2f} of the {F['nproc']} cores during this run; "
                      f"absolute figures (and thread scaling) are pessimistic. Ratios between interleaved peers "
                      f"are less affected.**\n")
        md.append(md_table(["section", "wall", "other processes (cores, average)", "hypervisor steal (cores)",
                            "waited for quiet"], rows))
        md.append("")
        self.res["conditions"] = self.conditions

        # 1. build
        b = R["build"]["runs"]
        sg_wall = median([r["wall_s"] for r in b["sg"]])
        fts_wall = median([r["wall_s"] for r in b["fts"]])
        rows = []
        for who, name in (("sg", "sgsearch `index --rebuild` (2 threads, --memory-mb 256)"),
                          ("fts", "SQLite FTS5 (Python, 1 thread, one transaction + optimize)")):
            for i, r in enumerate(b[who]):
                rows.append([name if i == 0 else "″", secs(r["wall_s"]), f"{self.bytes / 1e6 / r['wall_s']:.1f} MB/s",
                             r["cpu"], mb(r["rss_bytes"]),
                             mb(r["anon_bytes"]) if "anon_bytes" in r else "–",
                             f"{mb(r['size_bytes'])} ({r['size_bytes'] / self.bytes:.2f}×)",
                             f"{r.get('others_cores', float('nan')):.2f}"])
        rows.append(["ripgrep", "no index", "–", "–", "–", "–", "–", "–"])
        md.append("### Index build\n")
        md.append(md_table(["peer", "wall", "throughput", "CPU", "peak RSS", "peak anonymous memory",
                            "size on disk (× text)",
                            "other processes (cores)"], rows))
        fts_opt = median([r["optimize_s"] for r in b["fts"]])
        build_vs = ratio_text(fts_wall, sg_wall)
        build_vs = (build_vs.replace("about the same", "about as fast") + " as") if build_vs.startswith("about") \
            else build_vs + " than"
        md.append(f"\nsgsearch builds {build_vs} FTS5 (median wall {secs(sg_wall)} vs "
                  f"{secs(fts_wall)}; FTS5's `optimize` merge took {secs(fts_opt)} of it; FTS5 without it: "
                  f"{self.bytes / 1e6 / (fts_wall - fts_opt):.1f} MB/s). Run order: {', '.join(R['build']['order'])}, after one untimed read of the corpus. "
                  f"FTS5 indexes the same page files, decoded (UTF-8, else Windows-1252), HTML tags, scripts and "
                  f"styles stripped by regex, one row per page; its time includes reading and stripping in Python.\n")

        # 3. in-process latency
        lat = R["latency"]
        rows = []
        pooled_sg, pooled_fts, pooled_sg_peer = [], [], []
        for q in QUERIES:
            if q.id not in lat:
                continue
            d = lat[q.id]
            s = [t / 1e6 for t in d["sg_us"]]
            pooled_sg += s
            if "fts_us" in d:
                f = [t / 1e6 for t in d["fts_us"]]
                pooled_fts += f
                pooled_sg_peer += s
                rows.append([f"`{q.inproc}`", ms(pct(s, 50)), ms(pct(s, 95)), ms(pct(s, 99)),
                             ms(pct(f, 50)), ms(pct(f, 95)), ms(pct(f, 99)), ratio_text(pct(f, 50), pct(s, 50))])
            else:
                rows.append([f"`{q.inproc}`", ms(pct(s, 50)), ms(pct(s, 95)), ms(pct(s, 99)), "–", "–", "–", "–"])
        rows.append(["**all peer queries, pooled**", ms(pct(pooled_sg_peer, 50)), ms(pct(pooled_sg_peer, 95)),
                     ms(pct(pooled_sg_peer, 99)), ms(pct(pooled_fts, 50)), ms(pct(pooled_fts, 95)),
                     ms(pct(pooled_fts, 99)), ratio_text(pct(pooled_fts, 50), pct(pooled_sg_peer, 50))])
        rows.append(["**all queries incl. filters, pooled**", ms(pct(pooled_sg, 50)), ms(pct(pooled_sg, 95)),
                     ms(pct(pooled_sg, 99)), "", "", "", ""])
        md.append("### Warm top-10 search with snippets, in process\n")
        md.append(md_table(["query", "sgsearch p50", "p95", "p99", "FTS5 p50", "p95", "p99", "sgsearch at p50"], rows))
        md.append(f"\nsgsearch: hidden `bench-queries --mode search` (one index open, {LAT_RUNS} timed runs per query, "
                  f"each after a warm-up run); filters written in the query language (`committee:`, `date:`, "
                  f"`topic:`). FTS5: `{FTS_SEARCH_SQL}` from Python's sqlite3, 1 warm-up + {LAT_RUNS} runs "
                  f"(time.perf_counter, rows fetched). sgsearch returns items (with per-item collapse and facets), "
                  f"FTS5 pages. The two alternate query by query.\n")
        self.lat_pooled = (pct(pooled_sg, 50), pct(pooled_sg, 99))

        # 4. whole process
        pr = R["process"]
        rows = []
        allp = {"sg": [], "fts": [], "rg": []}
        rg_reps = set()
        for q in QUERIES:
            t = pr[q.id]["times_s"]
            for k in t:
                allp[k] += t[k]
            if "rg" in t:
                rg_reps.add(len(t["rg"]))
            sgm = median(t["sg"])
            row = [f"`{q.label}`", ms(sgm)]
            for k in ("fts", "rg"):
                if k in t:
                    row += [ms(median(t[k])), ratio_text(median(t[k]), sgm)]
                else:
                    row += ["–", "–"]
            rows.append(row)
        rows.append(["**all queries (median of all runs)**", ms(median(allp["sg"])), ms(median(allp["fts"])),
                     ratio_text(median(allp["fts"]), median(allp["sg"])), ms(median(allp["rg"])),
                     ratio_text(median(allp["rg"]), median(allp["sg"]))])
        md.append("### Whole process, top-10 search (p50)\n")
        md.append(md_table(["query", "sgsearch", "FTS5", "sgsearch vs FTS5", "ripgrep -l", "sgsearch vs ripgrep"], rows))
        rg_rep_text = (f"{min(rg_reps)}–{max(rg_reps)}" if len(rg_reps) > 1 else str(next(iter(rg_reps))))
        md.append(f"\nEach process spawned from Python (time.perf_counter around subprocess.run, stdout to /dev/null), "
                  f"round-robin over the peers: sgsearch `search --limit 10 --format json QUERY [filters]` and FTS5 "
                  f"via {F['fts5_process']} {PROC_RUNS} times per query; ripgrep `rg --no-ignore -i -w -F -l` "
                  f"(files that match, unranked, no snippets: its idea of a search; `-w 'exploit\\w*'` for the prefix, "
                  f"`-e` per alternative for OR; no AND or NEAR) {rg_rep_text} times per query (fewer for the "
                  f"slow peer, to fit ~{RG_PROC_BUDGET_S:.0f} s per query).\n")
        self.proc_p50 = median(allp["sg"])

        # 5. counts
        cn = R["count"]
        rows = []
        count_ratios, count_ratios_fast = [], []
        for q in QUERIES:
            if q.id not in cn:
                continue
            d, t = cn[q.id], cn[q.id]["times_s"]
            sgm = median(t["sg"])
            row = [f"`{q.label}`", f"{d['sg_items']:,} / {d['sg_mentions']:,}", ms(sgm)]
            if "rg" in t:
                r, rf = median(t["rg"]), median(t["rg_fast"])
                count_ratios.append(r / sgm)
                count_ratios_fast.append(rf / sgm)
                met = "met" if r / sgm >= 100 else "**not met**"
                row += [f"{d['rg_matches']:,}", ms(r), ratio_text(r, sgm) + f" ({met})", ms(rf), ratio_text(rf, sgm)]
            else:
                row += ["–", "–", "–", "–", "–"]
            row += [f"{d['fts_pages']:,}", ms(median(t["fts"])), ratio_text(median(t["fts"]), sgm)]
            rows.append(row)
        md.append("### Exhaustive count (whole process, median)\n")
        md.append(md_table(["query", "sgsearch items / mentions", "sgsearch", "ripgrep matches", "ripgrep",
                            "sgsearch vs ripgrep (bar 100×)", "ripgrep -w/-F", "vs -w/-F",
                            "FTS5 pages", "FTS5", "vs FTS5"], rows))
        cmed = median(count_ratios)
        md.append(f"\nWhat each count means: sgsearch `count --format json` gives matching *items* and *mentions* "
                  f"(occurrences of the query's words/phrases in them); ripgrep gives *matches* of a regex with "
                  f"sgsearch's token rules (`rg -i -U {'-P ' if self.pcre else ''}--count-matches`, e.g. "
                  f"`{QUERIES[7].rg_exact_regex(self.pcre)}`, summed over the page files); FTS5 "
                  f"`SELECT count(*) … MATCH` gives matching *pages*, not mentions. Median of {COUNT_RUNS} "
                  f"(ripgrep's everyday `-i -w [-F] --count-matches` form, which does not count phrases split by "
                  f"line breaks or punctuation, median of {RG_FAST_COUNT_RUNS}). sgsearch is faster than exact ripgrep "
                  f"by a median {fmt_ratio(cmed)} over the {len(count_ratios)} comparable queries "
                  f"(than ripgrep -w/-F by {fmt_ratio(median(count_ratios_fast))}); "
                  f"{sum(r >= 100 for r in count_ratios)}/{len(count_ratios)} queries meet 100×.\n")
        self.count_ratio = (cmed, sum(r >= 100 for r in count_ratios), len(count_ratios),
                            median(count_ratios_fast))

        # 6. mentions
        mn = R["mentions"]
        rows = []
        m_ratios = []
        for q in QUERIES:
            if q.id not in mn:
                continue
            t = mn[q.id]["times_s"]
            sgm = median(t["sg"])
            row = [f"`{q.label}`", f"{cn[q.id]['sg_mentions']:,}", ms(sgm)]
            if "rg" in t:
                r = median(t["rg"])
                m_ratios.append(r / sgm)
                row += [ms(r), ratio_text(r, sgm), "met" if r / sgm >= 10 else "**not met**"]
            else:
                row += ["–", "–", "–"]
            rows.append(row)
        mmed = median(m_ratios)
        md.append("### Mentions export (whole process to /dev/null, median)\n")
        md.append(md_table(["query", "rows", "sgsearch `mentions`", "ripgrep `-o`", "sgsearch vs ripgrep", "bar 10×"],
                           rows))
        md.append(f"\nsgsearch `mentions --quiet QUERY` writes CSV rows with metadata and 8 words of context each "
                  f"side; ripgrep `rg -i -U {'-P ' if self.pcre else ''}-o REGEX` writes path and match. Median of "
                  f"{MENTION_RUNS}, interleaved. Median ratio {fmt_ratio(mmed)}; "
                  f"{sum(r >= 10 for r in m_ratios)}/{len(m_ratios)} queries meet 10×.\n")
        self.m_ratio = (mmed, sum(r >= 10 for r in m_ratios), len(m_ratios))

        # 7. agreement
        rows = []
        n_cmp = n_ok = 0
        for q in QUERIES:
            if q.id not in cn:
                continue
            d = cn[q.id]
            if "agree" in d:
                n_cmp += 1
                n_ok += d["agree"]
                ext = ", ".join(f"{k} {v:,}" for k, v in sorted(d["rg_by_ext"].items()))
                rows.append([f"`{q.label}`", f"{d['sg_mentions']:,}", f"{d['rg_matches']:,}", ext,
                             "yes" if d["agree"] else f"**NO** ({d['sg_mentions'] - d['rg_matches']:+,})"])
            else:
                rows.append([f"`{q.label}`", f"{d['sg_mentions']:,}", "–", "–", "not comparable: " + (q.note or "")])
        md.append("### Count agreement: sgsearch mentions vs ripgrep whole-word matches\n")
        md.append(md_table(["query", "sgsearch mentions", "ripgrep matches", "ripgrep by extension", "equal"], rows))
        regex_note = ("ripgrep with PCRE2 lookarounds (`(?<![\\p{L}\\p{N}])…(?![\\p{L}\\p{N}])`, phrase words "
                      "joined by `[^\\p{L}\\p{N}]+`, `-U` so phrases span lines); invalid UTF-8 (Windows-1252 "
                      "pages) is read as U+FFFD, a separator, like sgsearch's typographic punctuation"
                      if self.pcre else
                      "ripgrep without PCRE2: `\\b` boundaries, where `_` counts as a word character (not for "
                      "sgsearch), so counts may differ around underscores")
        md.append(f"\n{n_ok}/{n_cmp} comparable queries agree. Method: {regex_note}. ripgrep reads the raw files "
                  f"(HTML markup included); the generator never puts a topic phrase in page chrome. The prefix "
                  f"`exploit*` is compared as `(?<![\\p{{L}}\\p{{N}}])exploit[\\p{{L}}\\p{{N}}]*`.\n")
        if self.mismatches:
            md.append("**Mismatches** (per-file: sgsearch `mentions --format jsonl` rows grouped by `source` vs "
                      "`rg --count-matches` per file):\n")
            for m in self.mismatches:
                hist = ", ".join(f"{v:,} files by {int(k):+d}"
                                 for k, v in sorted(m.get("rg_minus_sg_per_file", {}).items(), key=lambda kv: int(kv[0])))
                md.append(f"- `{m['query']}`: sgsearch {m['sg']:,}, ripgrep {m['rg']:,}; {len(m['files']):,} files "
                          f"differ (ripgrep − sgsearch: {hist}), e.g. "
                          + "; ".join(f"{x['file']} (sg {x['sg']}, rg {x['rg']})" for x in m["files"][:5]))
                if m.get("samples"):
                    sm = m["samples"][0]
                    md.append(f"  First file, `{sm['file']}`: ripgrep's matching lines "
                              + "; ".join(f"`{ln[:70]}`" for ln in sm["rg_lines"][:4])
                              + " — sgsearch's rows " + "; ".join(f"`{r}`" for r in sm["sg_rows"][:4]))
                md.append("")
        self.agree = (n_ok, n_cmp)

        # 8. batch
        bt = R["batch"]
        runs1, runs2 = bt["runs"]["1"], bt["runs"]["2"]
        t1, t2 = median([r["s"] for r in runs1]), median([r["s"] for r in runs2])
        lines_ok = all(r["lines"] == BATCH_QUERIES for r in runs1 + runs2)
        errs = sum(r["errors"] for r in runs1 + runs2)
        rows = [[f"`batch --threads {t}`", secs(tt), f"{BATCH_QUERIES / tt:,.0f}",
                 ", ".join(f"{r['s']:.1f} s ({r.get('cpu_cores', float('nan')) * 100:.0f} % CPU, others "
                           f"{r.get('others_cores', float('nan')):.2f} cores)" for r in rr)]
                for t, tt, rr in ((1, t1, runs1), (2, t2, runs2))]
        md.append("### Batch throughput\n")
        md.append(md_table(["run", "wall (median)", "queries/s", "runs (CPU used; other processes' load)"], rows))
        self.batch_ratio = t1 / t2
        md.append(f"\n{BATCH_QUERIES:,} queries (the {len(QUERIES)} above in turn, filters as JSON fields), top 10 "
                  f"with snippets each; run order {', '.join(map(str, bt['order']))}. 2 threads are "
                  f"{self.batch_ratio:.2f}× 1 thread. Output: {BATCH_QUERIES:,} lines each "
                  f"{'yes' if lines_ok else '**NO**'}, {errs} error lines, identical for 1 and 2 threads "
                  f"(`took_ms` aside): {'yes' if bt['identical_output'] else '**NO**'}.\n")

        # targets
        sgb = b["sg"]
        thr = self.bytes / 1e6 / sg_wall
        isz = median([r["size_bytes"] for r in sgb]) / self.bytes
        rss = max(r["rss_bytes"] for r in sgb)
        anon = max((r.get("anon_bytes", 0) for r in sgb), default=0)
        def busy(section):
            """A caveat when other processes took a real share of the machine during a section."""
            o = self.conditions.get(section, {}).get("others_cores", 0.0)
            if section == "batch":  # the runs themselves, not the waits between them
                o = max([o] + [r.get("others_cores", 0.0) for r in runs1 + runs2])
            return f"; unreliable: other processes used {o:.2f} cores" if o >= 0.25 else ""

        def yes(c, section):
            return ("met" if c else "**not met**") + busy(section)

        rows = [
            ["index ≥ 30 MB/s", f"{thr:.1f} MB/s (FTS5 {self.bytes / 1e6 / fts_wall:.1f} MB/s)",
             yes(thr >= 30, "index build")],
            ["indexing memory within `--memory-mb` (256 MiB)",
             f"{mb(anon)} anonymous (RSS {mb(rss)}, which adds the index files mapped by the final merge)",
             ("met" if 0 < anon <= 256 * 2 ** 20 else "**not met**") + "; compare sizes"],
            ["index ≤ 1.2× the text", f"{isz:.2f}×", "met" if isz <= 1.2 else "**not met**"],
            ["warm top-10 p50 ≤ 1 ms", ms(self.lat_pooled[0]) + " (all queries pooled)",
             yes(self.lat_pooled[0] <= 1e-3, "in-process latency")],
            ["warm top-10 p99 ≤ 25 ms", ms(self.lat_pooled[1]) + " (all queries pooled)",
             yes(self.lat_pooled[1] <= 25e-3, "in-process latency")],
            ["`sgsearch search` process p50 ≤ 10 ms", ms(self.proc_p50),
             yes(self.proc_p50 <= 10e-3, "whole-process search")],
            ["`count` ≥ 100× faster than ripgrep", f"median {fmt_ratio(self.count_ratio[0])} ({self.count_ratio[1]}/"
             f"{self.count_ratio[2]} queries; vs rg -w/-F {fmt_ratio(self.count_ratio[3])})",
             yes(self.count_ratio[0] >= 100, "count + agreement")],
            ["`mentions` ≥ 10× faster than ripgrep", f"median {fmt_ratio(self.m_ratio[0])} ({self.m_ratio[1]}/"
             f"{self.m_ratio[2]} queries)", yes(self.m_ratio[0] >= 10, "mentions export")],
            ["mentions = whole-word scan (100 %)", f"{self.agree[0]}/{self.agree[1]} queries equal",
             "met" if self.agree[0] == self.agree[1] else "**not met**"],
            ["batch 2 threads ≥ 1.7× 1 thread", f"{self.batch_ratio:.2f}×", yes(self.batch_ratio >= 1.7, "batch")],
        ]
        warn = (f"**Other processes used up to {worst:.2f} cores during this run (see Conditions): the absolute "
                f"figures are pessimistic.**\n\n" if worst >= 0.15 else "")
        md.insert(2, "### Targets (DESIGN.md speed bars)\n\n" + warn + md_table(["bar", "measured", "status"], rows) +
                  ("\n\nThe bars are set for 1 GB; at other sizes they are indicative.\n" if self.size != "1GB" else "\n"))
        self.res["targets"] = rows
        self.res["mismatches"] = self.mismatches
        return "\n".join(md) + "\n"


def strip_took(line):
    d = json.loads(line)
    d.pop("took_ms", None)
    return json.dumps(d, sort_keys=True)


def rg_per_file(stdout):
    out = {}
    for line in stdout.splitlines():
        if line:
            path, n = line.rsplit(":", 1)
            out[os.path.realpath(path)] = out.get(os.path.realpath(path), 0) + int(n)
    return out


def by_ext(per_file):
    out = {}
    for f, n in per_file.items():
        e = os.path.splitext(f)[1].lstrip(".").lower()
        out[e] = out.get(e, 0) + n
    return out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "fts5-build":
        ap = argparse.ArgumentParser(prog="compare.py fts5-build")
        ap.add_argument("cmd")
        ap.add_argument("--corpus", required=True)
        ap.add_argument("--db", required=True)
        a = ap.parse_args()
        fts5_build(a.corpus, a.db)
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", required=True, help="corpus size label, e.g. 200MB (target/bench/corpus-SIZE)")
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "sgsearch"), help="sgsearch binary")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite compare-SIZE.md from an existing compare-SIZE.json, measuring nothing")
    ap.add_argument("--wait-idle", type=float, default=120.0,
                    help="before each section, wait up to this many seconds for other processes to go quiet")
    a = ap.parse_args()

    if a.report_only:
        res = json.loads((BENCH / f"compare-{a.size}.json").read_text())
        c = Compare(a.size, a.bin, res["facts"]["ripgrep_pcre2"], None, 0)
        c.res, c.conditions, c.mismatches = res, res.get("conditions", {}), res.get("mismatches", [])
        c.pages, c.bytes = res["facts"]["pages"], res["facts"]["bytes"]
        md = c.report() + f"\n(Comparison took {res['facts']['elapsed_s'] / 60:.1f} min.)\n"
        (BENCH / f"compare-{a.size}.md").write_text(md)
        print(md)
        return 0

    corpus = BENCH / f"corpus-{a.size}"
    if not corpus.is_dir():
        sys.exit(f"compare.py: no corpus at {corpus} (benches/compare.sh generates it)")
    for tool in ("rg",):
        if not shutil.which(tool):
            sys.exit(f"compare.py: `{tool}` not found (benches/compare.sh installs it)")
    if not os.path.exists("/usr/bin/time"):
        sys.exit("compare.py: /usr/bin/time not found (apt-get install -y time)")
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    except sqlite3.OperationalError as e:
        sys.exit(f"compare.py: Python's sqlite3 ({sqlite3.sqlite_version}) has no usable FTS5: {e}")
    pcre = subprocess.run(["rg", "--pcre2-version"], capture_output=True).returncode == 0
    if not pcre:
        loud("ripgrep has no PCRE2: agreement regexes fall back to \\b boundaries (underscore differs)")
    cli = shutil.which("sqlite3")
    if cli:
        probe = subprocess.run([cli, ":memory:", "CREATE VIRTUAL TABLE t USING fts5(x); SELECT 1;"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            log(f"sqlite3 CLI has no FTS5 ({probe.stderr.strip()}); whole-process FTS5 goes through python3")
            cli = None

    # One private copy of the binary: the shared build may be replaced while this runs.
    tmpdir = tempfile.mkdtemp(prefix="sgsearch-compare-")
    sg_bin = Path(tmpdir) / "sgsearch"
    shutil.copy2(a.bin, sg_bin)
    try:
        c = Compare(a.size, sg_bin, pcre, cli, a.wait_idle)
        t0 = time.time()
        c.facts()
        c.section("index build", c.build)
        c.check_queries()
        c.section("in-process latency", c.latency)
        c.section("whole-process search", c.processes)
        c.section("count + agreement", c.counts)
        c.section("mentions export", c.mentions)
        c.section("batch", c.batch)
        c.res["facts"]["loadavg_end"] = loadavg()
        c.res["facts"]["elapsed_s"] = round(time.time() - t0, 1)
        md = c.report()
        md += f"\n(Comparison took {c.res['facts']['elapsed_s'] / 60:.1f} min.)\n"
        (BENCH / f"compare-{a.size}.json").write_text(json.dumps(c.res, indent=1, default=str))
        (BENCH / f"compare-{a.size}.md").write_text(md)
        log(f"wrote target/bench/compare-{a.size}.json and target/bench/compare-{a.size}.md")
        if c.mismatches:
            loud(f"{len(c.mismatches)} count mismatch(es) between sgsearch and ripgrep: see the report")
    finally:
        shutil.rmtree(tmpdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
