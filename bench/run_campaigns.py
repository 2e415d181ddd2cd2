"""Run the kernel campaigns of issue 7 one after the other: mutation, property, peer data.

Each campaign is its own script (run here with the same interpreter) and writes its
JSON summary next to this file (``bench/campaign_*.json``); the markdown tables go
to stdout.  The exit status is non-zero when a campaign found a survivor (a false
``verified``) or a false refutation, or failed to run.  This is what ``make campaign``
runs; it takes 20–40 minutes on two busy cores.

Usage: .venv/bin/python bench/run_campaigns.py [--only mutation|property|peer] [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent

CAMPAIGNS: dict[str, tuple[list[str], list[str]]] = {
    "mutation": (["campaign_mutation.py"], ["--generated", "20", "--count", "4"]),
    "property": (["campaign_property.py"], ["--examples", "20"]),
    "peer": (["peer_data.py", "--only", "pairs"], []),
}
"""Script and arguments per campaign, and the extra arguments of a ``--quick`` run."""


def run(name: str, quick: bool) -> int:
    script, quick_args = CAMPAIGNS[name]
    command = [sys.executable, str(BENCH / script[0]), *script[1:], *(quick_args if quick else [])]
    print(f"## {name} campaign: {' '.join(Path(c).name for c in command[1:])}", flush=True)
    if name == "peer":
        with (BENCH / "campaign_peer.json").open("w") as out:
            code = subprocess.call(command, stdout=out)
        print(f"(JSON summary in bench/campaign_peer.json; exit {code})", flush=True)
        return code
    return subprocess.call(command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CAMPAIGNS), action="append")
    parser.add_argument("--quick", action="store_true", help="small runs, to try the set-up")
    args = parser.parse_args(argv)
    codes = {name: run(name, args.quick) for name in args.only or CAMPAIGNS}
    failed = [name for name, code in codes.items() if code != 0]
    print(f"campaigns failed: {', '.join(failed)}" if failed else "all campaigns passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
