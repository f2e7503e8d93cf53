"""The command line, one sub-command per verb. Thin: it parses arguments and prints what the core returns."""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from assistant.config import SETTINGS, Settings, SettingsError

EXIT_USAGE = 2


class CliError(Exception):
    """An error to report on one line of stderr, exiting with code 2."""


def _parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per verb."""
    settings_help = "\n".join(f"  {s.env} (default {s.default!r}): {s.help}" for s in SETTINGS)
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Safeguarding guidance assistant: answers from the LSCB learning bulletins, quoted and cited.",
        epilog="settings (environment variables):\n" + settings_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, help="folder of bulletins (default: $ASSISTANT_CORPUS or corpus/)")
    common.add_argument("--index", type=Path, help="index folder (default: $ASSISTANT_INDEX or index/)")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", parents=[common], help="answer a question")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--area", help="leicestershire, rutland or leicester-city: that duty team first")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")

    sub.add_parser("index", parents=[common], help="rebuild the index now")

    add = sub.add_parser("add", parents=[common], help="add a bulletin (.txt, .md, .docx, .pdf) and rebuild")
    add.add_argument("file", type=Path, help="the bulletin file")
    add.add_argument("--replace", action="store_true", help="replace a bulletin of the same name")

    sub.add_parser("list", parents=[common], help="list the bulletins served, newest first")

    remove = sub.add_parser("remove", parents=[common], help="take a bulletin out and rebuild")
    remove.add_argument("id", help="the bulletin's id, as `assistant list` shows it")

    ev = sub.add_parser("eval", parents=[common], help="measure answer quality on a question set")
    ev.add_argument("file", type=Path, help="JSONL question set (see tests/eval/README.md)")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument("--failures", action="store_true", help="list the questions that missed")

    urgency = sub.add_parser("train-urgency", help="retrain the urgency model from written scenes")
    urgency.add_argument("--scenes", type=Path, help="JSONL scenes (default: the package's data/urgency_scenes.jsonl)")
    urgency.add_argument("--out", type=Path, required=True, help="where to write the model (JSON)")

    serve = sub.add_parser("serve", parents=[common], help="serve the chat page, widget and API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    try:
        return Settings.from_env(corpus=args.corpus, index=args.index)
    except SettingsError as exc:
        raise CliError(str(exc)) from exc


def _notice(message: str) -> None:
    print(message, file=sys.stderr)


def _open(settings: Settings, rebuild: bool = False):
    """Open (or rebuild) the index, turning corpus problems into one-line errors."""
    from assistant.index import open_index
    from assistant.ingest import IngestError

    try:
        return open_index(settings.corpus, settings.index, _notice, rebuild=rebuild)
    except IngestError as exc:
        raise CliError(str(exc)) from exc


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question and print it."""
    from assistant.answer import Answerer, QuestionError
    from assistant.contacts import UnknownArea, check_area

    settings = _settings(args)
    if not args.question.strip():
        raise CliError("the question is empty; ask something, e.g. assistant ask \"What do I do when a child goes missing?\"")
    index = _open(settings)
    answerer = Answerer(index, settings.emergency_number, settings.top_k)
    try:
        area = check_area(index.contacts(), args.area)
        answer = answerer.answer(args.question, area)
    except (QuestionError, UnknownArea) as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_answer(answer))
    return 0


def render_answer(answer) -> str:
    """An answer as readable text: message, quoted passages with citations, then contacts."""
    width = 88
    lines: list[str] = []
    if answer.urgent:
        lines += [f"!! {answer.message}", ""]
        lines += _contact_lines(answer.contacts) + [""]
    else:
        lines += [answer.message, ""]
    for number, quote in enumerate(answer.answers, start=1):
        lines.append(f"{number}. {quote.citation.label}")
        lines.append(f"   {quote.citation.bulletin} · {quote.citation.url}")
        lines += textwrap.wrap(f"\u201c{quote.text}\u201d", width, initial_indent="   > ", subsequent_indent="   > ")
        if quote.also_in:
            lines.append("   Also in: " + "; ".join(c.label for c in quote.also_in))
        lines.append("")
    if not answer.urgent:
        lines.append("If you have concerns about a child:")
        lines += _contact_lines(answer.contacts)
    return "\n".join(lines).rstrip()


def _contact_lines(contacts) -> list[str]:
    return [
        f"  {c.area} ({c.when}): {c.phone}" + (f", {c.email}" if c.email else "") for c in contacts
    ]


def cmd_index(args: argparse.Namespace) -> int:
    """Rebuild the index on demand."""
    settings = _settings(args)
    index = _open(settings, rebuild=True)
    print(f"indexed {len(index.passages)} passages from {len(index.bulletins)} bulletin(s) into {settings.index}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Check a bulletin file, copy it into the corpus and rebuild the index."""
    from assistant.library import BulletinError, add_bulletin

    settings = _settings(args)
    try:
        bulletin = add_bulletin(args.file, settings.corpus, replace=args.replace)
    except BulletinError as exc:
        raise CliError(str(exc)) from exc
    index = _open(settings, rebuild=True)
    count = sum(1 for p in index.passages if p.bulletin_id == bulletin.id)
    print(f"added {bulletin.name} as {bulletin.id}: {count} passages; "
          f"now serving {len(index.bulletins)} bulletin(s)")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Show the bulletins served, newest first, with their passage counts."""
    index = _open(_settings(args))
    counts: dict[str, int] = {}
    for p in index.passages:
        counts[p.bulletin_id] = counts.get(p.bulletin_id, 0) + 1
    for b in index.bulletins:
        print(f"{b.id:<40} {counts.get(b.id, 0):>5} passages  {b.name}" + (f" ({b.date})" if b.date else ""))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """Take a bulletin out of the corpus and rebuild the index."""
    from assistant.library import BulletinError, remove_bulletin

    settings = _settings(args)
    try:
        removed = remove_bulletin(args.id, settings.corpus)
    except BulletinError as exc:
        raise CliError(str(exc)) from exc
    index = _open(settings, rebuild=True)
    print(f"removed {removed.name}; now serving {len(index.bulletins)} bulletin(s)")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Print quality figures for a question set."""
    from assistant.answer import Answerer
    from assistant.evaluation import EvalError, evaluate, read_questions

    settings = _settings(args)
    try:
        questions = read_questions(args.file)
    except EvalError as exc:
        raise CliError(str(exc)) from exc
    index = _open(settings)
    report = evaluate(Answerer(index, settings.emergency_number, settings.top_k), questions)
    if args.json:
        print(json.dumps(report.figures(), indent=2))
    else:
        print(report.table())
        if args.failures:
            print("\n".join(report.failures()))
    return 0


def cmd_train_urgency(args: argparse.Namespace) -> int:
    """Retrain the urgency model, report how it does on each writer's scenes when trained on the others."""
    from assistant.urgency import cross_validate, read_scenes, train

    try:
        scenes = read_scenes(args.scenes)
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read scenes: {exc}") from exc
    if len({s.urgent for s in scenes}) < 2:
        raise CliError("the scenes need urgent and calm examples")
    try:
        args.out.write_text(train(scenes).to_json(), encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    urgent = sum(s.urgent for s in scenes)
    print(f"trained on {len(scenes)} scenes ({urgent} urgent), written to {args.out}")
    for source, recall, false_alarms in cross_validate(scenes):
        print(f"  {source or '(no source)'}: urgent recall {recall:.3f}, false alarms {false_alarms:.3f}"
              " when trained on the other writers")
    return 0


def _build_aside(settings: Settings) -> None:
    """Rebuild a stale index in a child process, so the server never holds the build-time libraries."""
    from assistant.index import StaleIndex, check, corpus_hash, require_bulletins
    from assistant.ingest import IngestError

    try:
        require_bulletins(settings.corpus)
        check(settings.index, corpus_hash(settings.corpus))
        return
    except IngestError as exc:
        raise CliError(str(exc)) from exc
    except StaleIndex as exc:
        _notice(f"index: rebuilding ({exc})")
    command = [sys.executable, "-m", "assistant", "index", "--corpus", str(settings.corpus),
               "--index", str(settings.index)]
    result = subprocess.run(command, capture_output=True, text=True)
    for line in result.stderr.splitlines():
        if line.startswith("warning:"):
            _notice(line)
    if result.returncode:
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        raise CliError(lines[-1].removeprefix("assistant: error: ") if lines else "the index could not be built")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API, chat page and widget with uvicorn."""
    import uvicorn

    from assistant.api import create_app
    from assistant.ingest import IngestError

    settings = _settings(args)
    _build_aside(settings)
    try:
        app = create_app(settings, notify=_notice)
    except IngestError as exc:
        raise CliError(str(exc)) from exc
    if settings.log_questions:  # only then is anything about questions logged, and only redacted
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        logger = logging.getLogger("assistant")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    # access_log off: request lines carry no question text, but nothing about users is logged by default.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning",
                server_header=False)
    return 0


COMMANDS = {"ask": cmd_ask, "index": cmd_index, "add": cmd_add, "list": cmd_list, "remove": cmd_remove,
            "eval": cmd_eval, "train-urgency": cmd_train_urgency, "serve": cmd_serve}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors are one line on stderr and exit code 2."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"assistant: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away ("assistant eval ... | head"): point stdout at nothing, so the
        # interpreter's final flush cannot fail again, and stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
