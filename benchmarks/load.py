"""The real server under a real HTTP load generator: throughput, latency, start-up, memory, soak, workers.

Run (one command, about 6 minutes; needs wrk: `apt-get install wrk`):

    .venv/bin/python benchmarks/load.py

Everything runs against 127.0.0.1 only, on free ports, with ASSISTANT_RATE_LIMIT=off. Each part is
bounded in requests and in time. Servers are started in their own session and stopped by their
process group; nothing else is touched. Scratch files go to /tmp/bench-load.

Parts (--only a,b selects some):
- startup: seconds from launching `assistant serve` to its first successful /api/ask answer, with the
  bulletin (index current, and index rebuilt), and at 100,000 passages (index current);
  RSS after the first answer and after 1,000 questions.
- breakdown: `python -X importtime` of the serve path, and RSS step by step (imports, index load,
  first answer, speller) in a fresh interpreter.
- throughput: wrk against /api/ask (200 questions rotated, POST via a Lua script) and /healthz at
  concurrency 1, 16 and 64 for DURATION seconds each: requests/s, p50, p99, errors; also /api/ask at
  100,000 passages.
- soak: RSS after the first 1,000 questions and then every 7,000 up to 50,000 (2,000 distinct
  questions: the 200 and variants with an unknown word each, so the speller and caches are exercised).
- workers: `uvicorn --factory assistant.api:create_app --workers 1` against `--workers 2`.
- httptools (not run by default): `assistant serve` as installed (h11, asyncio) against the same with
  httptools and uvloop importable (uvicorn picks them when present, as `uvicorn[standard]` installs):
      .venv/bin/pip install --target /tmp/bench-extra httptools uvloop
      .venv/bin/python benchmarks/load.py --only httptools --extra-path /tmp/bench-extra
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus_gen  # noqa: E402

SCRATCH = Path("/tmp/bench-load")
CORPORA = Path(os.environ.get("BENCH_SCRATCH", "/tmp/bench-corpus"))
BIN = Path(sys.executable).parent
PARTS = ("startup", "breakdown", "throughput", "soak", "workers", "httptools")
DEFAULT_PARTS = PARTS[:5]  # httptools needs --extra-path
TARGETS = {"first_answer_s": 2.0, "rss_bulletin_mb": 150, "rss_100k_mb": 600, "p99_ms_at_64": 50.0,
           "ask_vs_health": 0.5, "soak_growth": 0.10}
START_TIMEOUT = 300.0
REBUILT: list[str] = []  # servers that rebuilt their index at start although we had made it current  # seconds; a 100,000-passage index rebuild is well inside this

LUA = r"""
-- POSTs /api/ask with bodies rotated from BENCH_BODIES (one JSON object a line), or GETs BENCH_PATH.
-- With BENCH_LIMIT set, each thread stops after that many responses. done() prints one JSON line.
local bodies = {}
local path = os.getenv("BENCH_PATH") or "/api/ask"
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
if os.getenv("BENCH_BODIES") then
  for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
end
local counter = 0
local seen = 0

function setup(thread)
  thread:set("id", math.random(1, 1000000))
end

function init(args)
  counter = id or 0
end

request = function()
  if #bodies == 0 then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, bodies[(counter % #bodies) + 1])
end

if limit > 0 then
  response = function(status, headers, body)
    seen = seen + 1
    if seen >= limit then wrk.thread:stop() end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


# ---------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(corpus: Path, index: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(ASSISTANT_CORPUS=str(corpus), ASSISTANT_INDEX=str(index), ASSISTANT_RATE_LIMIT="off",
               ASSISTANT_LOG_QUESTIONS="off")
    env.update(extra or {})
    return env


class Server:
    """A server process we started (in its own session), its port and its log."""

    def __init__(self, cmd: list[str], env: dict, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.started = time.perf_counter()
        self._log = open(log, "w")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=str(ROOT))

    def first_answer(self, timeout: float = START_TIMEOUT) -> float:
        """Seconds from launch until POST /api/ask first returns 200 (polling every 10 ms)."""
        deadline = self.started + timeout
        body = json.dumps({"question": "What do I do when a child goes missing?"})
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}): {self.log.read_text()[-2000:]}")
            try:
                status, _ = post(self.port, "/api/ask", body, timeout=10)
                if status == 200:
                    return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.01)
        raise TimeoutError(f"no answer within {timeout:.0f} s: {self.log.read_text()[-2000:]}")

    def memory(self) -> dict:
        """RSS, PSS and USS in MB of the server and its children (uvicorn workers)."""
        import psutil

        root = psutil.Process(self.proc.pid)
        procs = [root, *root.children(recursive=True)]
        out = {"rss": 0.0, "pss": 0.0, "uss": 0.0, "processes": len(procs)}
        for p in procs:
            try:
                info = p.memory_full_info()
            except psutil.Error:
                continue
            out["rss"] += info.rss / 1e6
            out["pss"] += getattr(info, "pss", 0) / 1e6
            out["uss"] += info.uss / 1e6
        return out

    def stop(self) -> None:
        """SIGTERM to the server's own process group, then SIGKILL if it lingers."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log.close()


def ensure_index(corpus: Path, index: Path) -> float:
    """Make the saved index current for the code and corpus as they are now (src/ may change under us).

    Returns the seconds spent (about half a second when it is already current)."""
    start = time.perf_counter()
    code = "import sys; from pathlib import Path; from assistant.index import open_index; " \
           "open_index(Path(sys.argv[1]), Path(sys.argv[2]))"
    done = subprocess.run([str(BIN / "python"), "-c", code, str(corpus), str(index)], capture_output=True,
                          text=True, timeout=START_TIMEOUT, cwd=str(ROOT))
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return time.perf_counter() - start


def rebuilt(server: Server) -> bool:
    """Whether the server rebuilt its index at start (its log says so)."""
    return "rebuilding" in server.log.read_text(errors="replace")


@contextmanager
def serving(corpus: Path, index: Path, name: str, cmd: list[str] | None = None, extra_env: dict | None = None):
    """Start a server, wait for its first answer, yield (server, seconds to first answer), stop it."""
    port = free_port()
    cmd = cmd or [str(BIN / "assistant"), "serve", "--host", "127.0.0.1", "--port", "{port}"]
    cmd = [c.replace("{port}", str(port)) for c in cmd]
    server = Server(cmd, server_env(corpus, index, extra_env), port, SCRATCH / f"{name}.log")
    try:
        seconds = server.first_answer()
        if rebuilt(server) and not name.startswith("startup-cold"):
            REBUILT.append(name)
        yield server, seconds
    finally:
        server.stop()


def ask_many(port: int, bodies: Path, n: int, timeout: float = 300) -> int:
    """Ask exactly n questions one after another on one keep-alive connection; returns the non-200 count."""
    lines = bodies.read_text(encoding="utf-8").splitlines()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    failures = 0
    deadline = time.monotonic() + timeout
    try:
        for i in range(n):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{i} of {n} questions answered in {timeout:.0f} s")
            conn.request("POST", "/api/ask", body=lines[i % len(lines)], headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            failures += response.status != 200
    finally:
        conn.close()
    return failures


def post(port: int, path: str, body: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def warm_up(server: Server, questions: Path) -> float:
    """A misspelt question first, waited for (it builds the speller: seconds at 100,000 passages, and the
    event loop is blocked meanwhile), then a short wrk run. Returns the misspelt question's seconds."""
    start = time.perf_counter()
    status, _ = post(server.port, "/api/ask", json.dumps({"question": "wat do I do wen a chlid gos missng"}),
                     timeout=START_TIMEOUT)
    seconds = time.perf_counter() - start
    if status != 200:
        raise RuntimeError(f"warm-up answer failed with {status}")
    wrk(server.port, 16, 3, bodies=questions)
    return seconds


# ---------------------------------------------------------------------------- wrk


def bodies_file(name: str, questions: list[str]) -> Path:
    path = SCRATCH / name
    path.write_text("".join(json.dumps({"question": q}) + "\n" for q in questions), encoding="utf-8")
    return path


def soak_questions(base: list[str], n: int = 2000, seed: int = 7) -> list[str]:
    """The base questions, then variants with one made-up word each (unknown to the corpus)."""
    rng = random.Random(seed)
    out = list(base)
    while len(out) < n:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 9)))
        out.append(f"{base[len(out) % len(base)]} {word}")
    return out


def wrk(port: int, connections: int, duration: float, path: str = "/api/ask", bodies: Path | None = None,
        limit: int = 0, threads: int | None = None) -> dict:
    """One wrk run; returns requests/s, latency percentiles (ms) and error counts."""
    script = SCRATCH / "bench.lua"
    script.write_text(LUA)
    threads = threads or (1 if connections < 16 else 2)
    env = dict(os.environ, BENCH_PATH=path)
    env.pop("BENCH_BODIES", None)
    if bodies is not None:
        env["BENCH_BODIES"] = str(bodies)
    if limit:
        env["BENCH_LIMIT"] = str(max(1, limit // threads))
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration:.0f}s", "--timeout", "5s",
           "-s", str(script), f"http://127.0.0.1:{port}{path}"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    raw = json.loads(line[len("BENCH "):])
    seconds = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "connections": connections, "threads": threads, "requests": raw["requests"], "seconds": seconds,
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000, "p90_ms": raw["p90_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000, "mean_ms": raw["mean_us"] / 1000, "non_2xx": raw["status"],
        "socket_errors": socket_errors,
    }


# ---------------------------------------------------------------------------- parts


def corpus_100k() -> Path:
    return corpus_gen.write_corpus(100_000, CORPORA / "100k")


def part_startup(results: dict, questions: Path) -> None:
    bulletin = corpus_gen.bulletin_only(CORPORA / "bulletin")
    index = SCRATCH / "index-bulletin"
    shutil.rmtree(index, ignore_errors=True)
    out: dict = {}
    with serving(bulletin, index, "startup-cold") as (server, seconds):
        out["bulletin_rebuild_s"] = seconds
        # A server that rebuilt at start keeps the build's imports (stemmer, scikit-learn, word list).
        ask_many(server.port, questions, 1000)
        out["bulletin_rebuild_rss_1000"] = server.memory()
    warm = []
    ensure_index(bulletin, index)
    for i in range(3):
        with serving(bulletin, index, f"startup-warm-{i}") as (server, seconds):
            warm.append(seconds)
            if i == 2:
                out["bulletin_rss_first_answer"] = server.memory()
                ask_many(server.port, questions, 1000)
                out["bulletin_rss_1000"] = server.memory()
    out["bulletin_first_answer_s"] = statistics.median(warm)
    out["bulletin_first_answer_all_s"] = warm

    big = corpus_100k()
    big_index = SCRATCH / "index-100k"
    shutil.rmtree(big_index, ignore_errors=True)
    start = time.perf_counter()
    built = subprocess.run([str(BIN / "assistant"), "index"], env=server_env(big, big_index),
                           capture_output=True, text=True, timeout=START_TIMEOUT, cwd=str(ROOT))
    if built.returncode != 0:
        raise RuntimeError(built.stderr)
    out["100k_index_cli_s"] = time.perf_counter() - start
    out["100k_index_disk_mb"] = sum(f.stat().st_size for f in big_index.iterdir() if f.is_file()) / 1e6
    with serving(big, big_index, "startup-100k") as (server, seconds):
        out["100k_first_answer_s"] = seconds
        out["100k_rss_first_answer"] = server.memory()
        ask_many(server.port, questions, 1000)
        out["100k_rss_1000"] = server.memory()
    results["startup"] = out


BREAKDOWN = r"""
# argv: questions.json, then the heavy packages to import first (one RSS step each); prints one JSON line.
import json, sys, time
t0 = time.perf_counter()
import importlib
import psutil
proc = psutil.Process()
steps = []
def mark(name):
    steps.append([name, proc.memory_info().rss / 1e6, time.perf_counter() - t0])
mark("interpreter + psutil")
for name in sys.argv[2:]:
    importlib.import_module(name)
    mark(f"import {name}")
import uvicorn, assistant.cli, assistant.api  # what `assistant serve` imports
mark("import uvicorn, assistant.cli, assistant.api" + (" (the rest)" if sys.argv[2:] else ""))
from assistant.config import Settings
app = assistant.api.create_app(Settings.from_env()); mark("create_app (index loaded)")
answerer = app.state.library.answerer()
answerer.answer("What do I do when a child goes missing?"); mark("first answer")
answerer.answer("wat do I do wen a chlid gos missng"); mark("first misspelt answer (speller built)")
for q in json.load(open(sys.argv[1])) * 5:
    answerer.answer(q)
mark("1,000 answers")
index = answerer.index
heavy = [m for m in HEAVY if m in sys.modules]
speller = getattr(index, "_speller", None)
sizes = {
    "matrices_mb": sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (index.bm25, index.tfidf)) / 1e6,
    "passages": len(index.passages), "vocab": len(index.vocab), "speller_words": len(index.word_freq),
    "english_words": len(index.english), "speller_keys": len(getattr(speller, "_index", ()) or ()),
}
print("BREAKDOWN " + json.dumps({"steps": steps, "sizes": sizes, "heavy": heavy}))
"""
# Packages worth a line of their own in the RSS breakdown, in import order; only those the serve path
# actually loads are imported first (a first run finds out which).
HEAVY = ["numpy", "scipy.sparse", "nltk", "sklearn", "spellchecker", "pydantic", "starlette", "fastapi", "uvicorn"]


def memory_steps(corpus: Path, index: Path, qfile: Path) -> dict:
    """RSS step by step along the serve path, with the heavy packages it loads measured one by one."""
    script = f"HEAVY = {HEAVY!r}\n" + BREAKDOWN
    result: dict = {"heavy": []}
    for _ in ("discover", "measure"):
        done = subprocess.run([str(BIN / "python"), "-c", script, str(qfile), *result["heavy"]],
                              env=server_env(corpus, index), capture_output=True, text=True,
                              timeout=START_TIMEOUT, cwd=str(ROOT))
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BREAKDOWN ")), None)
        if line is None:
            raise RuntimeError(done.stderr[-3000:])
        result = json.loads(line[len("BREAKDOWN "):])
    return result


def importtime(corpus: Path, index: Path) -> dict:
    """`python -X importtime -m assistant serve` until its first answer: import time by top-level package."""
    port = free_port()
    log = SCRATCH / "importtime.log"
    server = Server([str(BIN / "python"), "-X", "importtime", "-m", "assistant", "serve", "--host", "127.0.0.1",
                     "--port", str(port)], server_env(corpus, index), port, log)
    try:
        first = server.first_answer()
    finally:
        server.stop()
    # Self time summed by top-level package partitions the import time exactly (cumulative times nest).
    by_root: dict[str, float] = {}
    total = 0.0
    for line in log.read_text().splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if not m:
            continue
        own = int(m.group(1)) / 1e6
        root = m.group(4).split(".")[0]
        by_root[root] = by_root.get(root, 0.0) + own
        total += own
    top = sorted(by_root.items(), key=lambda kv: -kv[1])
    return {"first_answer_s_under_importtime": first, "imports_s": total, "by_package": top[:15]}


def part_breakdown(results: dict) -> None:
    bulletin = corpus_gen.bulletin_only(CORPORA / "bulletin")
    index = SCRATCH / "index-bulletin"
    ensure_index(bulletin, index)
    out = {"importtime_bulletin": importtime(bulletin, index)}
    qfile = SCRATCH / "questions.json"
    qfile.write_text(json.dumps(corpus_gen.queries()))
    for name, corpus, idx in (("bulletin", bulletin, index), ("100k", corpus_100k(), SCRATCH / "index-100k")):
        ensure_index(corpus, idx)
        out[f"memory_{name}"] = memory_steps(corpus, idx, qfile)
    results["breakdown"] = out


def part_throughput(results: dict, questions: Path, duration: float) -> None:
    bulletin = corpus_gen.bulletin_only(CORPORA / "bulletin")
    out: dict = {"bulletin": {}, "100k": {}}
    ensure_index(bulletin, SCRATCH / "index-bulletin")
    with serving(bulletin, SCRATCH / "index-bulletin", "throughput-bulletin") as (server, _):
        out["bulletin"]["first_misspelt_s"] = warm_up(server, questions)
        for c in (1, 16, 64):
            out["bulletin"][f"ask_c{c}"] = wrk(server.port, c, duration, bodies=questions)
            out["bulletin"][f"health_c{c}"] = wrk(server.port, c, duration, path="/healthz")
    ensure_index(corpus_100k(), SCRATCH / "index-100k")
    with serving(corpus_100k(), SCRATCH / "index-100k", "throughput-100k") as (server, _):
        out["100k"]["first_misspelt_s"] = warm_up(server, questions)
        for c in (1, 16, 64):
            out["100k"][f"ask_c{c}"] = wrk(server.port, c, duration, bodies=questions)
    results["throughput"] = out


def part_soak(results: dict, total: int = 50_000, chunk: int = 7_000, budget: float = 900) -> None:
    """RSS after 1,000 questions, then every `chunk` up to `total` (bounded by `budget` seconds).

    wrk stops a thread at BENCH_LIMIT responses but sleeps out its -d, so each run's -d is set from
    the rate measured so far (connections / mean latency, Little's law); a short run is topped up.
    Requests in flight when wrk stops are answered but not counted, so counts may be low by up to
    the connection count per run.
    """
    bulletin = corpus_gen.bulletin_only(CORPORA / "bulletin")
    varied = bodies_file("soak.jsonl", soak_questions(corpus_gen.queries()))
    connections = 16
    points = []
    errors = 0
    ensure_index(bulletin, SCRATCH / "index-bulletin")
    with serving(bulletin, SCRATCH / "index-bulletin", "soak") as (server, _):
        started = time.perf_counter()
        deadline = time.monotonic() + budget
        done = 0
        rate = 100.0  # questions per second, until measured
        for target in [1_000, *range(1_000 + chunk, total + 1, chunk)]:
            while done < target and time.monotonic() < deadline:
                want = target - done
                run = wrk(server.port, connections, min(300.0, want / rate * 1.2 + 1), bodies=varied,
                          limit=want, threads=1)
                if run["mean_ms"] > 0:
                    rate = connections / (run["mean_ms"] / 1000)
                done += run["requests"]
                errors += run["non_2xx"] + run["socket_errors"]
            points.append({"questions": done, **server.memory(), "rate": rate})
        seconds = time.perf_counter() - started
    first, last = points[0], points[-1]
    results["soak"] = {"points": points, "errors": errors, "seconds": seconds,
                       "growth": (last["rss"] - first["rss"]) / first["rss"]}


WORKER_VARIANTS = (
    ("1", "uvicorn", 1),
    ("2", "uvicorn", 2),
    ("2, TCP_NODELAY", "nodelay", 2),  # benchmarks/uvicorn_nodelay.py: uvicorn issue #3149 worked around
)


def part_workers(results: dict, questions: Path, duration: float) -> None:
    bulletin = corpus_gen.bulletin_only(CORPORA / "bulletin")
    ensure_index(bulletin, SCRATCH / "index-bulletin")
    out: dict = {}
    for label, launcher, workers in WORKER_VARIANTS:
        entry = ["-m", "uvicorn"] if launcher == "uvicorn" else [str(HERE / "uvicorn_nodelay.py")]
        cmd = [str(BIN / "python"), *entry, "--factory", "assistant.api:create_app", "--host", "127.0.0.1",
               "--port", "{port}", "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
        with serving(bulletin, SCRATCH / "index-bulletin", f"workers-{launcher}-{workers}", cmd) as (server, seconds):
            for _ in range(workers):  # each worker builds its own speller on its first misspelt question
                warm_up(server, questions)
            out[label] = {
                "workers": workers,
                "first_answer_s": seconds,
                "ask_c4": wrk(server.port, 4, duration, bodies=questions),
                "ask_c64": wrk(server.port, 64, duration, bodies=questions),
                "health_c64": wrk(server.port, 64, duration, path="/healthz"),
                "memory": server.memory(),
            }
    results["workers"] = out


def part_httptools(results: dict, questions: Path, duration: float, extra: Path) -> None:
    bulletin = corpus_gen.bulletin_only(CORPORA / "bulletin")
    out: dict = {}
    for name, env in (("h11 + asyncio", {}), ("httptools + uvloop", {"PYTHONPATH": str(extra)})):
        with serving(bulletin, SCRATCH / "index-bulletin", f"http-{name.split()[0]}", extra_env=env) as (server, _):
            warm_up(server, questions)
            out[name] = {f"{route}_c{c}": wrk(server.port, c, duration, **kw)
                         for c in (1, 64)
                         for route, kw in (("ask", {"bodies": questions}), ("health", {"path": "/healthz"}))}
    results["httptools"] = out


# ---------------------------------------------------------------------------- report


def _row(name: str, r: dict) -> str:
    return (f"| {name} | {r['connections']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
            f"{r['non_2xx']} | {r['socket_errors']} |")


def _met(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def report(results: dict) -> str:
    lines = [f"{corpus_gen.code_stamp()}; machine: {os.cpu_count()} cores; load average at start {results['load_start']:.1f}, "
             f"at end {results['load_end']:.1f}; by part "
             + ", ".join(f"{k} {v:.1f}" for k, v in results.get("load_by_part", {}).items())
             + " (other work on the machine competes with server and wrk)\n"]
    s = results.get("startup")
    if s:
        lines += [
            "Start-up and memory (`assistant serve`; RSS of the server process):\n",
            "| corpus | launch -> first answer, s | RSS after first answer, MB | RSS after 1,000 questions, MB |",
            "|---|---:|---:|---:|",
            f"| bulletin, index current | {s['bulletin_first_answer_s']:.2f} (runs: "
            + ", ".join(f"{x:.2f}" for x in s["bulletin_first_answer_all_s"])
            + f") | {s['bulletin_rss_first_answer']['rss']:.0f} | {s['bulletin_rss_1000']['rss']:.0f} |",
            f"| bulletin, index rebuilt at start | {s['bulletin_rebuild_s']:.2f} | | "
            f"{s['bulletin_rebuild_rss_1000']['rss']:.0f} |",
            f"| 100,000 passages, index current | {s['100k_first_answer_s']:.2f} | "
            f"{s['100k_rss_first_answer']['rss']:.0f} | {s['100k_rss_1000']['rss']:.0f} |",
            "",
            f"`assistant index` at 100,000 passages: {s['100k_index_cli_s']:.1f} s; index on disk "
            f"{s['100k_index_disk_mb']:.0f} MB.",
            "",
        ]
    b = results.get("breakdown")
    if b:
        it = b["importtime_bulletin"]
        lines += [f"Imports on the serve path (`python -X importtime -m assistant serve`, self time summed by "
                  f"top-level package; {it['imports_s']:.2f} s of imports in all, launch -> first answer "
                  f"{it['first_answer_s_under_importtime']:.2f} s under -X importtime):\n",
                  "| package | s |", "|---|---:|"]
        lines += [f"| {name} | {sec:.3f} |" for name, sec in it["by_package"][:12]]
        lines.append("")
        for name in ("bulletin", "100k"):
            m = b[f"memory_{name}"]
            lines += [f"RSS step by step, {name} ({m['sizes']['passages']:,} passages; matrices "
                      f"{m['sizes']['matrices_mb']:.1f} MB, vocab {m['sizes']['vocab']:,}, speller words "
                      f"{m['sizes']['speller_words']:,} + English {m['sizes']['english_words']:,}, speller keys "
                      f"{m['sizes']['speller_keys']:,}):\n",
                      "| step | RSS MB | + MB | at s |", "|---|---:|---:|---:|"]
            prev = 0.0
            for step, rss, at in m["steps"]:
                lines.append(f"| {step} | {rss:.0f} | {rss - prev:+.0f} | {at:.2f} |")
                prev = rss
            lines.append("")
    t = results.get("throughput")
    if t:
        lines += ["Throughput and latency (wrk, closed loop, "
                  f"{t['bulletin']['ask_c1']['seconds']:.0f} s each; latency in ms):\n",
                  "| route | connections | requests/s | p50 | p99 | non-2xx | socket errors |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for c in (1, 16, 64):
            lines.append(_row("bulletin POST /api/ask", t["bulletin"][f"ask_c{c}"]))
            lines.append(_row("bulletin GET /healthz", t["bulletin"][f"health_c{c}"]))
        for c in (1, 16, 64):
            lines.append(_row("100k POST /api/ask", t["100k"][f"ask_c{c}"]))
        lines += ["", f"First misspelt question after start (builds the speller; the event loop is blocked "
                      f"meanwhile): bulletin {t['bulletin']['first_misspelt_s']:.2f} s, 100,000 passages "
                      f"{t['100k']['first_misspelt_s']:.2f} s.", ""]
    k = results.get("soak")
    if k:
        lines += [f"Soak (bulletin, 16 connections, 2,000 distinct questions; {k['seconds']:.0f} s, "
                  f"{k['errors']} errors):\n", "| questions answered | RSS MB | USS MB | questions/s |",
                  "|---:|---:|---:|---:|"]
        lines += [f"| {p['questions']:,} | {p['rss']:.1f} | {p['uss']:.1f} | {p['rate']:.0f} |" for p in k["points"]]
        lines += ["", f"RSS growth from 1,000 to {k['points'][-1]['questions']:,} questions: {k['growth']:+.1%}", ""]
    w = results.get("workers")
    if w:
        lines += ["`uvicorn --factory assistant.api:create_app --workers N` (bulletin; wrk and the workers share "
                  "the 2 cores):\n",
                  "| workers | first answer s | /api/ask req/s, 4 conn. | p50 | /api/ask req/s, 64 conn. | p50 | p99 | "
                  "/healthz req/s, 64 conn. | RSS MB (sum) | PSS MB (sum) | errors |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for label, r in w.items():
            a4, a, h = r["ask_c4"], r["ask_c64"], r["health_c64"]
            errs = sum(x["non_2xx"] + x["socket_errors"] for x in (a4, a, h))
            lines.append(f"| {label} | {r['first_answer_s']:.2f} | {a4['rps']:.0f} | {a4['p50_ms']:.1f} | "
                         f"{a['rps']:.0f} | {a['p50_ms']:.1f} | {a['p99_ms']:.1f} | {h['rps']:.0f} | "
                         f"{r['memory']['rss']:.0f} | {r['memory']['pss']:.0f} | {errs} |")
        one = w["1"]
        for label, r in w.items():
            if label != "1":
                lines.append(f"\n{label} workers / one: /api/ask at 64 connections "
                             f"{r['ask_c64']['rps'] / one['ask_c64']['rps']:.2f}x, at 4 connections "
                             f"{r['ask_c4']['rps'] / one['ask_c4']['rps']:.2f}x; /healthz "
                             f"{r['health_c64']['rps'] / one['health_c64']['rps']:.2f}x")
        lines.append("")
    h = results.get("httptools")
    if h:
        lines += ["HTTP implementation (bulletin, `assistant serve`; uvicorn picks httptools and uvloop when "
                  "importable):\n", "| server | route | connections | requests/s | p50 | p99 | non-2xx | socket errors |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for name, runs in h.items():
            for key, r in runs.items():
                route = "POST /api/ask" if key.startswith("ask") else "GET /healthz"
                lines.append(f"| {name} " + _row(route, r))
        lines.append("")
    if results.get("rebuilt_at_start"):
        lines += [f"Warning: these servers rebuilt their index at start (src/ changed during the run): "
                  f"{', '.join(results['rebuilt_at_start'])}", ""]
    lines += ["Targets:\n"]
    if s:
        lines.append(f"- first answer within 2 s with the bulletin: {s['bulletin_first_answer_s']:.2f} s -> "
                     f"{_met(s['bulletin_first_answer_s'] <= TARGETS['first_answer_s'])}")
        rb, rk = s["bulletin_rss_1000"]["rss"], s["100k_rss_1000"]["rss"]
        lines.append(f"- RSS < 150 MB with the bulletin: {rb:.0f} MB -> {_met(rb < TARGETS['rss_bulletin_mb'])}")
        lines.append(f"- RSS < 600 MB at 100,000 passages: {rk:.0f} MB -> {_met(rk < TARGETS['rss_100k_mb'])}")
    if t:
        bt = t["bulletin"]
        for c in (1, 16, 64):
            ratio = bt[f"ask_c{c}"]["rps"] / bt[f"health_c{c}"]["rps"]
            lines.append(f"- /api/ask throughput >= half of /healthz at {c} connections: {ratio:.2f} -> "
                         f"{_met(ratio >= TARGETS['ask_vs_health'])}")
        p99 = bt["ask_c64"]["p99_ms"]
        lines.append(f"- p99 < 50 ms at 64 connections (bulletin): {p99:.1f} ms -> {_met(p99 < TARGETS['p99_ms_at_64'])}")
        errs = sum(r["non_2xx"] + r["socket_errors"] for part in t.values() for r in part.values()
                   if isinstance(r, dict))
        lines.append(f"- zero errors (all throughput runs): {errs} -> {_met(errs == 0)}")
    if k:
        lines.append(f"- soak RSS within 10% (1,000 -> {k['points'][-1]['questions']:,} questions): {k['growth']:+.1%} -> "
                     f"{_met(abs(k['growth']) <= TARGETS['soak_growth'])}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(DEFAULT_PARTS), help="comma-separated parts: " + ",".join(PARTS))
    parser.add_argument("--extra-path", type=Path, help="folder holding httptools and uvloop (for the httptools part)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each part, wait up to this long for the load average to drop below 1")
    parser.add_argument("--report", type=Path, metavar="JSON", help="print the tables of a saved --json run")
    args = parser.parse_args(argv)
    if args.report:
        print(report(json.loads(args.report.read_text())))
        return 0
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {PARTS}")
    SCRATCH.mkdir(parents=True, exist_ok=True)
    questions = bodies_file("questions.jsonl", corpus_gen.queries())
    results: dict = {"load_start": os.getloadavg()[0]}
    started = time.perf_counter()
    # The order matters: startup builds the indexes that the later parts load.
    for part in [p for p in PARTS if p in parts]:
        deadline = time.monotonic() + args.wait_quiet
        while os.getloadavg()[0] >= 1.0 and time.monotonic() < deadline:
            time.sleep(5)
        results.setdefault("load_by_part", {})[part] = os.getloadavg()[0]
        print(f"[{time.perf_counter() - started:6.1f}s] {part} (load average {os.getloadavg()[0]:.1f}) ...",
              file=sys.stderr)
        if part == "startup":
            part_startup(results, questions)
        elif part == "breakdown":
            part_breakdown(results)
        elif part == "throughput":
            part_throughput(results, questions, args.duration)
        elif part == "soak":
            part_soak(results)
        elif part == "workers":
            part_workers(results, questions, args.duration)
        elif part == "httptools":
            if not args.extra_path:
                parser.error("the httptools part needs --extra-path (see the module docstring)")
            part_httptools(results, questions, args.duration, args.extra_path)
    results["load_end"] = os.getloadavg()[0]
    results["rebuilt_at_start"] = REBUILT
    print(f"[{time.perf_counter() - started:6.1f}s] done\n", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
