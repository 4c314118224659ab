"""A generated port plan of real size for the site and browser tests (no tests here).

Deterministic: the same arguments give the same text. Entries spread from 22 to 32000, with
long descriptions, several environments and owners, blocks, declared ranges, and every status.
"""

from __future__ import annotations

import random

OWNERS = ("chain-team", "platform", "data-eng", "observability", "wallet-squad", "edge")
ENVIRONMENTS = (None, ("dev",), ("staging",), ("production",), ("dev", "staging"))
WORDS = ("gateway", "indexer", "relay", "exporter", "scheduler", "ledger", "bridge", "cache",
         "oracle", "archiver", "webhook", "notifier", "profiler", "sequencer", "faucet")
SENTENCE = ("Serves the {w} API for internal clients; talks to the coordinator over gRPC, "
            "keeps its state in Postgres and exposes Prometheus metrics on `/metrics`. "
            "Restart it with the devnet script after changing `{v}`, and page the owning team "
            "before touching its schema, since several dashboards depend on it.")
RANGES = ((8020, 8029, "Mock & test services"), (9100, 9199, "Prometheus exporters"),
          (30000, 30099, "Load test workers"))


def big_registry(entries: int = 120, seed: int = 10) -> str:
    """ports.yaml text with ``entries`` entries (a few of them blocks) and three ranges."""
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    taken: set[int] = set()
    lines = ["version: 1", "", "ranges:"]
    for low, high, purpose in RANGES:
        lines += [f"  - range: {low}-{high}", f"    purpose: {purpose}"]
    lines += ["", "ports:"]
    fixed = [22, 443, 8020, 8021, 8025, 9100, 9101, 9102, 31999]
    pool = [p for p in range(1024, 32000) if not 30000 <= p <= 30049]
    ports = fixed + sorted(rng.sample(pool, entries - len(fixed) - 1))
    for number, port in enumerate(sorted(set(ports)), start=1):
        if port in taken:
            continue
        taken.add(port)
        lines += _entry(rng, number, port, taken)
    lines += ["  - port: 30000-30049", "    service: Load test workers",
              "    owner: platform", "    description: One port per worker."]
    return "\n".join(lines) + "\n"


def _entry(rng: random.Random, number: int, port: int, taken: set[int]) -> list[str]:
    word = WORDS[number % len(WORDS)]
    out = [f"  - port: {port}", f"    service: {word.capitalize()} service {number}",
           f"    owner: {OWNERS[number % len(OWNERS)]}"]
    envs = ENVIRONMENTS[number % len(ENVIRONMENTS)]
    if envs is not None:
        out.append(f"    environments: [{', '.join(envs)}]")
    if number % 3 == 0:
        out.append(f"    location: apps/{word}/deploy/docker-compose.{number}.yaml")
    if number % 4 != 1:
        long = SENTENCE.format(w=word, v=f"{word.upper()}_{number}_PORT")
        short = f"The {word} for team {OWNERS[number % len(OWNERS)]}."
        out.append(f"    description: {long if number % 2 else short}")
    status = ("planned", "reserved")[number % 2] if number % 11 == 0 else None
    if number % 13 == 0:
        replacement = port + 1
        if replacement not in taken:
            taken.add(replacement)
            out += ["    status: deprecated", "    deprecation:",
                    f"      note: Moved to {replacement} with the other {word}s.",
                    f"      replaced_by: {replacement}", "",
                    f"  - port: {replacement}", f"    service: {word.capitalize()} successor",
                    f"    owner: {OWNERS[(number + 1) % len(OWNERS)]}"]
    elif status:
        out.append(f"    status: {status}")
    if number % 7 == 0:
        out.append(f"    role: {('metrics', 'ui', 'rpc')[number % 3]}")
    return [*out, ""]
