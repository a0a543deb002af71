"""Regenerate docs/index.png and docs/wagner.png from a run of the example corpus.

    .venv/bin/python scripts/screenshots.py [--chromium /usr/bin/chromium] [--out docs]

Runs `newsdesk run examples/sources.toml` (as `make demo` does) into a temporary folder,
then photographs the site's index and the Wagner story page (the story citing the
Caliber.Az page) in headless Chromium. Needs the `dev` extra (Playwright) and a Chromium
binary; no network.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
CALIBER_URL = "https://caliber.az/en/post/wagner-group-announces-withdrawal-from-mali"


def run_demo(work: Path) -> Path:
    """The example corpus's site, built in ``work`` with make demo's options; its folder."""
    site = work / "site"
    command = [sys.executable, "-m", "newsdesk", "run", str(REPO / "examples" / "sources.toml")]
    command += ["--out", str(site), "--db", str(work / "newsdesk.db"), "--max-words", "400"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: the corpus's non-article pages, reported
        sys.exit(f"newsdesk run failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return site


def wagner_page(site: Path) -> Path:
    """The story page whose sources include the Caliber.Az article."""
    for path in sorted((site / "stories").glob("*.json")):
        story = json.loads(path.read_text(encoding="utf-8"))
        if any(source.get("url") == CALIBER_URL for source in story["sources"]):
            return path.with_suffix(".html")
    sys.exit("no story cites the Caliber.Az page: is examples/sources.toml intact?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium binary")
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="folder for the PNGs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = run_demo(Path(tmp))
        shots = {"index.png": site / "index.html", "wagner.png": wagner_page(site)}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, html in shots.items():
                page.goto(html.as_uri())
                page.wait_for_load_state("load")
                page.screenshot(path=str(args.out / name), full_page=True)
                print(f"{args.out / name}: {html.relative_to(site)}")
            browser.close()


if __name__ == "__main__":
    main()
