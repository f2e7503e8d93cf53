"""In-process speed and memory: index build, answer latency, and three libraries side by side.

Run (one command, about 2 minutes on 2 cores; generated corpora are cached in /tmp/bench-corpus):

    .venv/bin/python benchmarks/speed.py

At four sizes (the bulletin, then generated corpora of 1,000, 10,000 and 100,000 passages that
include it; see corpus_gen.py) each size runs in a fresh subprocess, so memory figures are not
muddied by the size before. Each subprocess measures:

- parse: reading and parsing the bulletin files with the real parser (assistant.ingest);
- build: assistant.index.build, with its wall time, the peak RSS above the pre-build RSS (psutil,
  sampled every 2 ms on a thread) and the RSS it keeps afterwards;
- load: saving the index and loading it back (what a server does at start when the index is current);
- answer: Answerer.answer (the full path: analysis with spelling correction, both scorers, fusion,
  coverage, near-duplicate step-over, quotes) over a fixed set of 200 questions (120 from
  tests/eval/questions.jsonl, 60 generated, 20 misspelt), one warm-up pass then PASSES timed passes;
  "retrieval" is the scoring part alone (index.query + index.scores + index.top(k=3));
- the same passages (text + context) and questions with rank-bm25 (BM25Okapi.get_scores and a sort),
  bm25s (its own tokenizer and index, retrieve k=3) and scikit-learn's TfidfVectorizer (transform,
  sparse dot, argpartition), each timed per question including its query tokenisation.

Options: --sizes bulletin,1k (a subset), --passes N, --json FILE (raw results),
--profile SIZE (cProfile of the answer loop at one size, hot spots listed, nothing else run).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus_gen  # noqa: E402

SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/bench-corpus"))
SIZES = {"bulletin": 0, "1k": 1_000, "10k": 10_000, "100k": 100_000}
TARGETS = {
    "100k_p50_ms": 5.0,  # 100,000 passages: full answer p50 at most 5 ms
    "100k_vs_rank_bm25": 40.0,  # and at least 40x faster than rank-bm25 scoring alone
    "bulletin_p50_ms": 1.0,  # the bulletin: full answer p50 under 1 ms
}
WORKER_TIMEOUT = 900  # seconds per size, a bound on every subprocess


def corpus_folder(label: str) -> Path:
    """The corpus folder for a size label, written (or reused) under SCRATCH."""
    if SIZES[label] == 0:
        return corpus_gen.bulletin_only(SCRATCH / "bulletin")
    return corpus_gen.write_corpus(SIZES[label], SCRATCH / label)


# ---------------------------------------------------------------------------- measuring


class PeakRSS:
    """Samples this process's RSS on a thread; .peak is the highest seen while running."""

    def __init__(self, interval: float = 0.002) -> None:
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def percentiles(samples: list[tuple[float, float]]) -> dict[str, float]:
    """p50, p99, mean and max in milliseconds, of wall time and of this thread's CPU time.

    Other work on the machine stretches wall time but hardly CPU time, so CPU time is the fairer
    basis for ratios; wall time is what a user waits, on a quiet machine the two agree.
    """
    import numpy as np

    wall = np.asarray([w for w, _ in samples]) * 1000
    cpu = np.asarray([c for _, c in samples]) * 1000
    return {"p50": float(np.percentile(wall, 50)), "p99": float(np.percentile(wall, 99)),
            "mean": float(wall.mean()), "max": float(wall.max()),
            "cpu_p50": float(np.percentile(cpu, 50)), "cpu_p99": float(np.percentile(cpu, 99)),
            "n": len(samples)}


def timed(fn, questions: list[str], passes: int = 1) -> list[tuple[float, float]]:
    """(wall seconds, thread CPU seconds) per call of fn(question), over the questions `passes` times."""
    out = []
    clock, cpu = time.perf_counter, time.thread_time
    for _ in range(passes):
        for q in questions:
            start, start_cpu = clock(), cpu()
            fn(q)
            out.append((clock() - start, cpu() - start_cpu))
    return out


def load_average() -> float:
    """The 1-minute load average (other processes competing for the 2 cores)."""
    return os.getloadavg()[0]


def wait_quiet(limit: float, threshold: float = 1.0) -> float:
    """Wait (at most `limit` seconds) for the 1-minute load average to drop below threshold."""
    deadline = time.monotonic() + limit
    while load_average() >= threshold and time.monotonic() < deadline:
        time.sleep(5)
    return load_average()


_PLAIN = re.compile(r"[a-z0-9]+")


def plain_tokens(text: str) -> list[str]:
    """Lower-case alphanumeric runs: what a developer would feed rank-bm25 first (as quality.py does)."""
    return _PLAIN.findall(text.lower())


# ---------------------------------------------------------------------------- one size (subprocess)


def run_size(label: str, folder: Path, passes: int, baselines: bool) -> dict:
    """Everything measured at one size, in this (fresh) process."""
    import numpy as np
    import psutil
    import sklearn.feature_extraction.text  # noqa: F401  imported now so build's memory is the index's
    import spellchecker  # noqa: F401

    from assistant.answer import Answerer
    from assistant.index import build, load, read_corpus, save

    proc = psutil.Process()
    result: dict = {"label": label}
    questions = corpus_gen.queries()
    result["questions"] = {"n": len(questions), "digest": corpus_gen.queries_digest(questions)}

    start = time.perf_counter()
    bulletins, _ = read_corpus(folder)
    result["parse_s"] = time.perf_counter() - start
    passages = [p for b in bulletins for p in b.passages]
    result["passages"] = len(passages)
    result["bulletins"] = len(bulletins)

    gc.collect()
    rss0 = proc.memory_info().rss
    with PeakRSS() as peak:
        start = time.perf_counter()
        index = build(bulletins)
        result["build_s"] = time.perf_counter() - start
    gc.collect()
    rss1 = proc.memory_info().rss
    result["build_peak_mb"] = (peak.peak - rss0) / 1e6
    result["index_rss_mb"] = (rss1 - rss0) / 1e6
    arrays = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (index.bm25, index.tfidf))
    result["matrices_mb"] = arrays / 1e6
    result["vocab"] = len(index.vocab)
    result["speller_words"] = len(index.word_freq)
    result["nnz"] = int(index.bm25.nnz)

    folder_out = Path(f"/tmp/bench-speed/index-{label}")
    start = time.perf_counter()
    save(index, folder_out)
    result["save_s"] = time.perf_counter() - start
    result["index_disk_mb"] = sum(f.stat().st_size for f in folder_out.iterdir() if f.is_file()) / 1e6
    start = time.perf_counter()
    loaded = load(folder_out)
    result["load_s"] = time.perf_counter() - start
    del loaded
    gc.collect()

    answerer = Answerer(index)
    # The speller is built the first time a question has a word the corpus does not know.
    start = time.perf_counter()
    answerer.answer("what do I do when a chlid gos missng")
    result["first_misspelt_s"] = time.perf_counter() - start
    gc.collect()
    result["rss_with_speller_mb"] = (proc.memory_info().rss - rss0) / 1e6

    timed(answerer.answer, questions)  # warm-up pass: stem cache, speller, first-use costs
    result["answer"] = percentiles(timed(answerer.answer, questions, passes))

    def retrieve(q: str):
        return index.top(index.scores(index.query(q)).fused, 3)

    result["retrieval"] = percentiles(timed(retrieve, questions, passes))
    result["query_analysis"] = percentiles(timed(index.query, questions, passes))
    answers = [answerer.answer(q) for q in questions]
    result["no_match_share"] = sum(a.no_match for a in answers) / len(answers)
    result["corrected_share"] = sum(bool(a.corrections) for a in answers) / len(answers)

    if baselines:
        docs = [f"{p.text} {p.context}" for p in passages]
        result["baselines"] = run_baselines(docs, questions, np)
    return result


def run_baselines(docs: list[str], questions: list[str], np) -> dict:
    """rank-bm25, bm25s and scikit-learn TF-IDF over the same passages and questions."""
    out: dict = {}

    # rank-bm25: BM25Okapi.get_scores (a Python loop over every passage per query term) and a sort.
    from rank_bm25 import BM25Okapi

    start = time.perf_counter()
    okapi = BM25Okapi([plain_tokens(d) for d in docs])
    build_s = time.perf_counter() - start

    def okapi_top(q: str):
        scores = okapi.get_scores(plain_tokens(q))
        return np.argsort(-scores, kind="stable")[:3]

    okapi_top(questions[0])
    # At 100,000 passages one pass takes about 15 s; one pass is enough for a stable p50.
    out["rank_bm25"] = {"build_s": build_s, **percentiles(timed(okapi_top, questions))}
    del okapi

    # bm25s: its own tokenizer (English stopwords, no stemmer) and sparse index; retrieve k=3.
    import bm25s

    start = time.perf_counter()
    tokenizer = bm25s.tokenization.Tokenizer(stopwords="en")
    corpus_tokens = tokenizer.tokenize(docs, show_progress=False, return_as="tuple")
    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    build_s = time.perf_counter() - start

    def bm25s_top(q: str):
        ids = tokenizer.tokenize([q], update_vocab=False, show_progress=False, return_as="ids")
        return retriever.retrieve(ids, k=min(3, len(docs)), show_progress=False, n_threads=0)

    bm25s_top(questions[0])
    out["bm25s"] = {"build_s": build_s, **percentiles(timed(bm25s_top, questions, 2))}
    del retriever, corpus_tokens

    # scikit-learn TfidfVectorizer alone: transform, sparse dot, argpartition.
    from sklearn.feature_extraction.text import TfidfVectorizer

    start = time.perf_counter()
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    matrix = vectorizer.fit_transform(docs).tocsr()
    build_s = time.perf_counter() - start

    def tfidf_top(q: str):
        scores = (matrix @ vectorizer.transform([q]).T).toarray().ravel()
        part = np.argpartition(-scores, 2)[:3]
        return part[np.argsort(-scores[part])]

    tfidf_top(questions[0])
    out["sklearn_tfidf"] = {"build_s": build_s, **percentiles(timed(tfidf_top, questions, 2))}
    return out


# ---------------------------------------------------------------------------- profile


def profile(label: str, passes: int) -> None:
    """cProfile of the answer loop at one size: where the time goes, by src/ function."""
    import cProfile
    import pstats

    from assistant.answer import Answerer
    from assistant.index import build, read_corpus

    bulletins, _ = read_corpus(corpus_folder(label))
    index = build(bulletins)
    answerer = Answerer(index)
    questions = corpus_gen.queries()
    timed(answerer.answer, questions)  # warm-up: the speller and caches are not what we profile
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(passes):
        for q in questions:
            answerer.answer(q)
    profiler.disable()
    calls = passes * len(questions)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"profile at {label}: {len(index.passages)} passages, {calls} answers, "
          f"{total / calls * 1000:.3f} ms per answer under cProfile\n")
    rows = []
    for (file, line, name), (cc, nc, tt, ct, _) in stats.stats.items():
        rows.append((ct, tt, nc, f"{Path(file).name}:{line} {name}"))
    for key, title in ((0, "cumulative"), (1, "own time")):
        print(f"top 25 by {title} (ms per answer; share of answer time):")
        for ct, tt, nc, where in sorted(rows, key=lambda r: -r[key])[:25]:
            value = ct if key == 0 else tt
            print(f"  {value / calls * 1000:8.3f} ms  {value / total:6.1%}  {nc / calls:9.1f} calls  {where}")
        print()


def profile_api(label: str, requests: int = 2000) -> None:
    """The HTTP app in process (ASGI calls, no network or uvicorn): /api/ask against /healthz, by package."""
    import asyncio
    import cProfile
    import pstats

    from assistant.api import create_app
    from assistant.config import Settings

    folder = corpus_folder(label)
    index_dir = Path(f"/tmp/bench-speed/api-index-{label}")
    settings = Settings.from_env({"ASSISTANT_CORPUS": str(folder), "ASSISTANT_INDEX": str(index_dir),
                                  "ASSISTANT_RATE_LIMIT": "off"})
    app = create_app(settings)
    bodies = [json.dumps({"question": q}).encode() for q in corpus_gen.queries()]

    async def call(method: str, path: str, body: bytes = b"") -> int:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                             (b"content-length", str(len(body)).encode())],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
        sent = False
        status = 0

        async def receive():
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    async def run(path: str, n: int) -> float:
        start = time.thread_time()
        for i in range(n):
            if path == "/healthz":
                assert await call("GET", path) == 200
            else:
                assert await call("POST", path, bodies[i % len(bodies)]) == 200
        return (time.thread_time() - start) / n * 1000

    async def main() -> None:
        await run("/api/ask", 400)  # warm-up (speller, caches)
        health = await run("/healthz", requests)
        ask = await run("/api/ask", requests)
        print(f"ASGI app in process at {label}: /healthz {health:.3f} ms CPU per request, "
              f"/api/ask {ask:.3f} ms CPU per request\n")
        profiler = cProfile.Profile()
        profiler.enable()
        await run("/api/ask", requests)
        profiler.disable()
        stats = pstats.Stats(profiler)
        by_package: dict[str, float] = {}
        for (file, _, _), (_, _, tt, _, _) in stats.stats.items():
            parts = Path(file).parts
            if "site-packages" in parts:
                key = parts[parts.index("site-packages") + 1]
            elif "assistant" in parts:
                key = "assistant/" + Path(file).name
            elif file.startswith("~"):
                key = "builtins (C calls)"
            else:
                key = "python stdlib"
            by_package[key] = by_package.get(key, 0.0) + tt
        total = sum(by_package.values())
        print("/api/ask own time by package under cProfile (share of request CPU):")
        for key, tt in sorted(by_package.items(), key=lambda kv: -kv[1])[:14]:
            print(f"  {tt / total:6.1%}  {key}")
        print()
        rows = [(ct, f"{Path(f).name}:{ln} {name}") for (f, ln, name), (_, _, _, ct, _) in stats.stats.items()]
        print("top 25 by cumulative below the middleware wrappers (share of request CPU):")
        inner = [r for r in sorted(rows, key=lambda r: -r[0]) if r[0] / total < 0.9]
        for ct, where in inner[:25]:
            print(f"  {ct / total:6.1%}  {where}")

    asyncio.run(main())


# ---------------------------------------------------------------------------- report


def _ms(x: float) -> str:
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def report(results: list[dict]) -> str:
    """Markdown tables with ratios and the targets."""
    lines = []
    q = results[0]["questions"]
    lines.append(f"questions: {q['n']} (set {q['digest']}); machine: {os.cpu_count()} cores, "
                 f"Python {sys.version.split()[0]}; {corpus_gen.code_stamp()}\n")
    lines.append("| corpus | passages | vocab | parse s | build s | build peak MB | index RSS MB | "
                 "+speller MB | first misspelt s | load s | on disk MB |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        lines.append(
            f"| {r['label']} | {r['passages']:,} | {r['vocab']:,} | {r['parse_s']:.2f} | {r['build_s']:.2f} | "
            f"{r['build_peak_mb']:.0f} | {r['index_rss_mb']:.0f} | {r['rss_with_speller_mb']:.0f} | "
            f"{r['first_misspelt_s']:.2f} | {r['load_s']:.2f} | {r['index_disk_mb']:.1f} |"
        )
    lines.append("")
    for basis, p50, p99, title in (
        ("wall", "p50", "p99", "Latency per question, in process, wall clock, ms (p50 / p99):"),
        ("cpu", "cpu_p50", "cpu_p99", "The same, CPU time of the answering thread, ms (p50 / p99):"),
    ):
        lines.append(title + "\n")
        lines.append("| corpus | assistant answer | assistant retrieval | query analysis | rank-bm25 | bm25s | "
                     "sklearn TF-IDF |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for r in results:
            b = r.get("baselines", {})
            cells = [f"{_ms(b[k][p50])} / {_ms(b[k][p99])}" if k in b else "n/a"
                     for k in ("rank_bm25", "bm25s", "sklearn_tfidf")]
            ours = [f"{_ms(r[k][p50])} / {_ms(r[k][p99])}" for k in ("answer", "retrieval", "query_analysis")]
            lines.append(f"| {r['label']} | " + " | ".join(ours + cells) + " |")
        lines.append("")
    if any("baselines" in r for r in results):
        lines.append("Ratios, CPU-time p50 (baseline time / assistant time; above 1x the assistant is faster). "
                     "The full answer does much more than score; retrieval is the like-for-like part:\n")
        lines.append("| corpus | answer vs rank-bm25 | answer vs bm25s | answer vs sklearn | "
                     "retrieval vs rank-bm25 | retrieval vs bm25s | retrieval vs sklearn |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for r in results:
            b = r.get("baselines")
            if not b:
                continue
            cells = [f"{b[k]['cpu_p50'] / r[part]['cpu_p50']:.1f}x" for part in ("answer", "retrieval")
                     for k in ("rank_bm25", "bm25s", "sklearn_tfidf")]
            lines.append(f"| {r['label']} | " + " | ".join(cells) + " |")
        lines.append("")
        lines.append("Baseline build time, s: " + "; ".join(
            f"{r['label']}: rank-bm25 {r['baselines']['rank_bm25']['build_s']:.2f}, "
            f"bm25s {r['baselines']['bm25s']['build_s']:.2f}, sklearn {r['baselines']['sklearn_tfidf']['build_s']:.2f}"
            for r in results if "baselines" in r))
        lines.append("")
    lines.append("1-minute load average when each size started / ended (2 cores; above ~1 other work competed): "
                 + "; ".join(f"{r['label']} {r['load_before']:.1f} / {r['load_after']:.1f}" for r in results))
    lines.append("")
    lines.append("Targets:\n")
    by = {r["label"]: r for r in results}
    if "100k" in by:
        r = by["100k"]
        p50, cpu = r["answer"]["p50"], r["answer"]["cpu_p50"]
        lines.append(_target("100k full answer p50 <= 5 ms", p50 <= TARGETS["100k_p50_ms"],
                             f"{p50:.2f} ms wall, {cpu:.2f} ms CPU"))
        if "baselines" in r:
            ratio = r["baselines"]["rank_bm25"]["cpu_p50"] / cpu
            lines.append(_target(">= 40x faster than rank-bm25 scoring alone (100k, full answer vs get_scores+sort, "
                                 "CPU p50)", ratio >= TARGETS["100k_vs_rank_bm25"], f"{ratio:.1f}x"))
    if "bulletin" in by:
        p50, cpu = by["bulletin"]["answer"]["p50"], by["bulletin"]["answer"]["cpu_p50"]
        lines.append(_target("the bulletin: full answer p50 < 1 ms", p50 < TARGETS["bulletin_p50_ms"],
                             f"{p50:.2f} ms wall, {cpu:.2f} ms CPU"))
    return "\n".join(lines)


def _target(name: str, met: bool, value: str) -> str:
    return f"- {name}: {value} -> {'MET' if met else 'NOT MET'}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated: bulletin,1k,10k,100k")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the questions (assistant)")
    parser.add_argument("--no-baselines", action="store_true", help="skip rank-bm25, bm25s and scikit-learn")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each size, wait up to this long for the load average to drop below 1")
    parser.add_argument("--profile", metavar="SIZE", help="profile the answer path at one size and stop")
    parser.add_argument("--profile-api", metavar="SIZE", help="profile the HTTP app in process at one size and stop")
    parser.add_argument("--report", type=Path, metavar="JSON", help="print the tables of a saved --json run")
    parser.add_argument("--worker", nargs=2, metavar=("LABEL", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        label, folder = args.worker
        print(json.dumps(run_size(label, Path(folder), args.passes, not args.no_baselines)))
        return 0
    if args.profile:
        profile(args.profile, args.passes)
        return 0
    if args.profile_api:
        profile_api(args.profile_api)
        return 0
    if args.report:
        print(report(json.loads(args.report.read_text())))
        return 0

    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {list(SIZES)}")
    results = []
    started = time.perf_counter()
    for label in labels:
        folder = corpus_folder(label)
        if args.wait_quiet:
            wait_quiet(args.wait_quiet)
        load_before = load_average()
        print(f"[{time.perf_counter() - started:6.1f}s] {label}: measuring in a subprocess "
              f"(load average {load_before:.1f}) ...", file=sys.stderr)
        cmd = [sys.executable, __file__, "--worker", label, str(folder), "--passes", str(args.passes)]
        if args.no_baselines:
            cmd.append("--no-baselines")
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=WORKER_TIMEOUT)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        results[-1].update(load_before=load_before, load_after=load_average())
    print(f"[{time.perf_counter() - started:6.1f}s] done\n", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
