"""Confluence as a source: requests and time to read a space of N postmortem pages, on the
first run, a re-run with nothing changed, and a re-run after one page was edited.

Counts come from the sandbox's request log, so they are exact; times are this machine's.
Usage: python bench/confluence.py [--pages N] [--deployment Cloud|Server]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from actiontrack.config import parse_config
from actiontrack.configfile import RawConfig
from actiontrack.sandbox import Sandbox
from actiontrack.sources import lint_targets, page_spec

PAGE = ("<h2>再発防止策</h2><table><tbody><tr><th>対応内容</th><th>担当者</th><th>期限</th></tr>"
        "<tr><td>接続数の上限アラートを追加する {n}</td><td>lee</td><td><time datetime=\"2030-07-31\" /></td></tr>"
        "</tbody></table><h2>Follow-ups</h2><ac:task-list><ac:task><ac:task-id>1</ac:task-id>"
        "<ac:task-status>incomplete</ac:task-status><ac:task-body>Add a load test {n} &mdash; owner: lee, "
        "due: 2030-08-30</ac:task-body></ac:task></ac:task-list>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--deployment", default="Cloud", choices=("Cloud", "Server"))
    args = parser.parse_args()
    with Sandbox(confluence_deployment=args.deployment) as sb, tempfile.TemporaryDirectory() as folder:
        ids = [sb.confluence.create_page("OPS", f"障害の記録 {n}", PAGE.format(n=n), labels=("postmortem",))
               for n in range(args.pages)]
        os.environ["BENCH_EMAIL"], os.environ["BENCH_TOKEN"] = sb.config.confluence_email, sb.config.confluence_token
        config = parse_config(RawConfig({"sources": {"confluence": {
            "url": sb.confluence_url, "auth": "cloud" if args.deployment == "Cloud" else "pat",
            "email_env": "BENCH_EMAIL", "token_env": "BENCH_TOKEN", "space": "OPS", "label": "postmortem",
            "cache": str(Path(folder) / "pages.db")}}}, None))

        def run(what: str) -> None:
            sb.reset_counts()
            start = time.perf_counter()
            report = lint_targets([], [page_spec("confluence:")], config=lambda: config)
            took = time.perf_counter() - start
            print(f"{what:<28} {sb.count('confluence'):>4} requests  {took:6.2f} s  "
                  f"{len(report.postmortems)} pages, {report.action_count} actions")

        run("first run")
        sb.advance_time(3600)
        run("re-run, nothing changed")
        sb.confluence.edit_page(ids[len(ids) // 2], storage=PAGE.format(n="edited"))
        run("re-run, one page edited")


if __name__ == "__main__":
    main()
