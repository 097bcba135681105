"""Real postmortems nobody here wrote, read as a careful reader would (tests/fixtures/realdocs).

Every document there is kept verbatim with the actions a careful reader takes from it,
written down by hand before the reader was built against it. Documents of the dev split,
and of the spent held-out rounds (``heldout`` to ``heldout8``, each measured
once and since worked on), must be read exactly: every action found on its line, nothing else found,
except the gaps pinned below, which are known misreadings (each one a line number), kept here
so that a fix shows up as a change and a regression as a failure. Documents of any later
held-out round are never looked at while building: they are only read here for crashes,
and measured by bench/extraction.py (BENCHMARKS.md has the figures).
"""

from __future__ import annotations

import pytest

from actiontrack.reader import read_file
from bench_modules import load

extraction = load("extraction")

DOCS = extraction.load(extraction.ROOT)
# Held-out rounds 1 to 8 were each measured once (2026-12-01 and -02) and are spent: read exactly, as dev is.
EXACT = [doc for doc in DOCS if doc.split in extraction.SPENT]
HELD_OUT = [doc for doc in DOCS if doc.split not in extraction.SPENT]

# (expected lines missed, lines read that are no action), per dev or spent held-out document.
KNOWN_GAPS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    'en/ena-chef-2016-07-fips-acceptance-failures.txt': ((54,), ()),
    'en/ena-etherfi-2024-05-l2-sync-prevention.md': ((), (21,)),
    'en/ena-hachyderm-2022-12-13-root-fs-full.md': ((99,), ()),
    'en/ena-hackerdom-ructf-2023-postmortem.md': ((30,), ()),
    'en/ena-matrix-2019-04-11-security-incident.md': ((195, 213, 240, 349), (151, 181, 254, 263, 328, 330)),
    'en/ena-moj-cp-2025-07-23-secrets-leaked.md': ((99, 101), ()),
    'en/ena-moj-cp-2026-03-30-ingress-nginx-rollback.md': ((), (81,)),
    'en/ena-off-2023-05-18-mongodb-vm-overload.md': ((27, 28), ()),
    'en/ena-off-2024-08-03-reverse-proxy-ip-lost.md': ((116, 117), ()),
    'en/ena-pypi-2024-07-leaked-admin-token.md': ((104,), ()),
    'en/ena-pypi-2025-04-org-team-privileges.md': ((220,), ()),
    'en/ena-pypi-2025-07-phishing-attack.md': ((213,), ()),
    'en/ena-rust-rustup-2021-04-release-regression.md': ((), (83,)),
    'en/h2-bloggulus-2024-06-04-oom-prose.md': ((168, 169), ()),
    'en/h2-dcl-2023-03-09-ghost-mode.md': ((34,), ()),
    'en/h2-flutter-2019-12-11-gradle-failures.md': ((187,), ()),
    'en/h2-flutter-2023-03-26-windows-defender-long.md': ((), (173,)),
    'en/h2-flutter-2023-08-26-flutter-dev-dns.md': ((106,), ()),
    'en/h2-techfar-issue-77-failover.md': ((8,), ()),
    'en/h3-cocoapods-2016-05-04-spec-repo-rate-limiting.md': ((), (76,)),
    'en/h3-moj-cp-2020-08-07-master-node-capacity.md': ((33,), ()),
    'en/h3-obs-2025-10-23-bot-traffic.md': ((61,), ()),
    'en/h3-oc-2019-09-03-jwt-secret-misused.md': ((69,), (60,)),
    'en/h3-srht-2020-10-08-git-almost-outage.md': ((130,), ()),
    'en/h4-casper-mainnet-outages-2021.md': ((10,), ()),
    'en/h4-codecampfire-2023-11-18-streaming.md': ((29, 31, 33), ()),
    'en/h4-foundries-2025-10-13-source.md': ((27,), ()),
    'en/h4-patriotctf-2023-introspective.md': ((38, 73, 76), ()),
    'en/h5-freenode-2021-05-25-post-mortem.md': ((18,), ()),
    'en/h5-hex-2026-08-24-private-package-authz.md': ((12, 81), ()),
    'en/h5-iasql-002-v0.0.23-release.md': ((29,), ()),
    'en/h5-mataroa-2021-12-08-certbot-outage.md': ((26,), ()),
    'en/h5-mataroa-2022-08-20-disk-space.md': ((17, 18, 19), ()),
    'en/h5-osuosl-2016-12-17-network-outage.txt': ((43, 44), (58,)),
    'en/h5-suggester-2021-08-announcements.md': ((16, 16, 16, 18, 27, 29), ()),
    'en/h5-t2bot-2020-06-17-database-outage.md': ((109, 112), (108,)),
    'en/h5-t2bot-2024-01-13-discord-bridge-reset.md': ((62, 72, 72), ()),
    'en/h5-thymedev-2023-01-13-status-downtime.md': ((26,), ()),
    'en/h5-wynton-2022-incidents-log.md': ((), (256, 299)),
    'en/h6-aosc-2020-03-29-mailing-list-migration.md': ((22,), ()),
    'en/h6-fosstodon-2022-08-02-domain-expired.md': ((53,), ()),
    'en/h6-idx-ritdas-2016-11-18-website-downtime.md': ((41,), ()),
    'en/h6-jd4883-2020-01-plex-outage.md': ((28,), ()),
    'en/h6-jenkinsio-2011-07-18-mirror-redirection.md': ((36, 37, 45), ()),
    'en/h6-opensuse-2014-01-16-forums-back-online.md': ((73,), (75, 75)),
    'en/h7-cheqd-2023-01-30-v1-upgrade-rca.md': ((83, 85, 89, 93, 97, 105, 105, 115), ()),
    'en/h7-cheqd-2025-05-28-v4-testnet-rca.md': ((186,), ()),
    'en/h7-cogukdipi-2022-01-05-unpublish.md': ((), (55,)),
    'en/h7-comdex-2022-12-08-farming-rewards.md': ((21, 22, 25, 26, 27), ()),
    'en/h7-comdex-2022-12-15-remaining-collateral.md': ((12, 24, 24), ()),
    'en/h7-comdex-2023-03-12-reward-distribution.md': ((27, 29), ()),
    'en/h7-cosmos-2025-03-26-executable-stack.md': ((50, 51, 57), ()),
    'en/h7-cosmos-2025-05-05-github-contributor.md': ((15,), ()),
    'en/h7-goatcounter-2020-02-19-outage.txt': ((15, 21), ()),
    'en/h7-haiku-2018-06-25-data-security-incident.md': ((26, 30), ()),
    'en/h7-haiku-2018-11-06-partial-outage.md': ((), (35,)),
    'en/h7-lum-2022-04-28-chain-halt.md': ((81, 82), ()),
    'en/h7-madscitech-2017-07-17-network-outage.md': ((13,), ()),
    'en/h7-mintcoin-2018-11-04-infected-binaries.md': ((), (61,)),
    'en/h7-replit-2023-04-02-github-tokens.md': ((), (50, 51, 62, 69)),
    'en/h7-replit-2023-05-18-downtime.md': ((32, 33), (30,)),
    'en/h7-replit-2023-09-29-read-only-repls.md': ((), (32,)),
    'en/h8-idx-alphagamebot-2025-11-07-assets-crash-loop.md': ((25,), (27,)),
    'en/h8-idx-cheezburger-2012-11-turkey-day-downtime.md': ((52,), ()),
    'en/h8-idx-deno-2021-03-02-cloudflare-media-block.md': ((), (87,)),
    'en/h8-idx-filecoin-2021-03-18-lotus-api-bookkeeping.md': ((44, 52), (42, 43, 45, 46)),
    'en/h8-idx-octopus-2023-01-25-dns-routing-outage.md': ((212, 214, 216), (195, 196, 202, 202)),
    'en/h8-idx-osm-2024-12-15-he-net-network-outage.md': ((126, 127, 135, 159, 162), (160, 163)),
    'en/h8-idx-railway-2025-04-30-api-backend-config-rollout.md': ((48, 49, 50, 51, 51), (47,)),
    'en/h8-idx-railway-2025-06-06-github-login-outage.md': ((66, 67, 68, 69, 73, 74), (64, 71)),
    'en/h8-liveagent-2024-07-24-linode-lb-healthcheck.md': ((14,), ()),
    'en/h8-liveagent-2025-01-24-call-center.md': ((14,), ()),
    'en/h8-liveagent-2025-04-25-frankfurt-db-crash.md': ((17,), ()),
    'en/h8-slicer-2017-10-17-database-repair.md': ((), (18,)),
    'en/h8-srht-2019-11-15-io-exhaustion.md': ((20,), ()),
    'en/h8-srht-2020-06-28-redis-cache-outage.md': ((18, 21), ()),
    'en/h8-x4b-2021-02-10-london-maintenance-interruption.md': ((), (13,)),
    'en/h8-x4b-2022-07-05-miami-instability.md': ((17, 21), (15, 19)),
    'ja/h2-tanomimaster-2023-02-10-db-500.md': ((26,), ()),
    'ja/h3-cfniigata-issue-274-test-count-mismatch.md': ((35,), ()),
    'ja/h3-coji-zenn-workers-hanging-promise.md': ((53, 167), ()),
    'ja/h3-mamezou-2023-12-25-real-horror-stories.md': ((), (46,)),
    'ja/h4-morihaya-2024-11-newrelic-dashboard-terraform.md': ((122,), ()),
    'ja/h5-authored-5-qiita-kpt.md': ((32,), ()),
    'ja/h5-authored-9-rejected-measures.md': ((35,), ()),
    'ja/h6-authored-3-taisaku-status.md': ((), (23,)),
    'ja/h7-authored-1-gijiroku-todo.md': ((21, 22), (10, 11)),
    'ja/h7-authored-10-dai2hou-no-actions.md': ((), (15, 24)),
    'ja/h7-authored-2-nazenaze.md': ((11, 12, 12, 14, 18), ()),
    'ja/h7-authored-3-mail-houkoku.txt': ((32, 33, 35, 36), (31,)),
    'ja/h7-authored-4-rst-listtable.rst': ((69,), (36, 37, 38, 39, 40, 42, 43, 44, 45, 47, 48, 49, 50, 52, 53, 54, 55, 56, 57, 58, 59)),
    'ja/h7-authored-5-zesei-shochi.txt': ((17, 18, 25, 26, 32, 36, 38), ()),
    'ja/h7-authored-6-kigou-hyou.md': ((7, 8, 9, 10, 12), ()),
    'ja/h7-authored-7-dai-midashi-wareki.txt': ((24, 25, 26, 27), (28,)),
    'ja/h7-authored-8-excel-tsv.txt': ((2, 3, 4, 5, 6, 7, 8), ()),
    'ja/h7-authored-9-redmine-textile.txt': ((20, 21, 24, 26), ()),
    'ja/h8-authored-10-user-requests.txt': ((19, 21, 22), ()),
    'ja/h8-authored-2-issue-export.md': ((39,), ()),
    'ja/h8-authored-3-changelog.md': ((9, 15, 16, 20, 21), (3, 18)),
    'ja/h8-authored-4-ml-post.txt': ((33,), ()),
    'ja/h8-authored-5-minutes-todo.md': ((22, 23), ()),
    'ja/h8-authored-6-backlog-wiki.txt': ((15, 16, 18, 19), ()),
    'ja/h8-authored-7-naze-naze.md': ((), (19,)),
    'ja/h8-authored-8-status-ja.md': ((12,), ()),
    'ja/h8-authored-9-html-table.md': ((10, 11, 12, 13, 17), ()),
    'ja/jaa-gh-kerobot-aca-minecraft-incident-records.md': ((279,), ()),
    'ja/jaa-gh-vrcshift-2026-01-17-v170-deploy.md': ((107, 108, 111, 112), ()),
}


def _name(doc: object) -> str:
    return str(doc.path.relative_to(extraction.ROOT))  # type: ignore[attr-defined]


def test_the_corpus_is_there() -> None:
    held_out = sum(1 for doc in DOCS if doc.split.startswith("heldout"))
    assert len(DOCS) >= 60 and held_out * 4 >= len(DOCS)  # one document in three is held out
    assert sum(1 for doc in DOCS if doc.language == "ja") >= 20


@pytest.mark.parametrize("doc", EXACT, ids=_name)
def test_document_is_read_as_written_down(doc: object) -> None:
    result = read_file(doc.path)  # type: ignore[attr-defined]
    found = list(result.postmortem.actions) if result.postmortem else []
    _, missing, extra = extraction.match(doc.expected, found)  # type: ignore[attr-defined]
    got = (tuple(sorted(e.line for e in missing)), tuple(sorted(a.line for a in extra)))
    assert got == KNOWN_GAPS.get(_name(doc), ((), ()))


@pytest.mark.parametrize("doc", HELD_OUT, ids=_name)
def test_held_out_document_is_read_without_crashing(doc: object) -> None:
    result = read_file(doc.path)  # type: ignore[attr-defined]
    assert result.postmortem is not None or result.findings
