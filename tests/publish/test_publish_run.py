"""`newsdesk run`'s publish step: articles are read only for the stories it renders, and
the index pages list the stored stories by the time of their latest source."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import lxml.html
import pytest

from newsdesk.model import Article, Draft
from newsdesk.pipeline import Pipeline, RunOptions, run_pipeline
from newsdesk.store import open_store
from tests.pipeline_support.corpus import (
    base_time,
    cluster_docs,
    single_docs,
    story_clusters,
    write_docs,
)


def _listed(out: Path) -> list[str]:
    """Story file stems in index order, following the Older links from index.html."""
    path, ids = out / "index.html", []
    while True:
        doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        ids += [Path(a.get("href")).stem for a in doc.cssselect("a.story-link")]
        older = doc.cssselect("nav.pager a[rel=next]")
        if not older:
            return ids
        path = (path.parent / older[0].get("href")).resolve()


def test_a_run_reads_articles_only_for_the_stories_it_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = base_time()
    (first,) = story_clusters(1)
    (other,) = story_clusters(1, skip=5)
    pages = write_docs(tmp_path / "pages", cluster_docs(0, first, 0, 2, start) + single_docs(3))
    site = tmp_path / "site"
    options = RunOptions([str(pages)], out_dir=site, page_size=2)

    # Story ids whose articles the publish step asked for (from the store, or from those
    # the run read already).
    read: list[str] = []
    real_draft_articles = Pipeline._draft_articles

    def draft_articles(
        self: Pipeline, draft: Draft, members: Sequence[str] | None = None
    ) -> list[Article]:
        read.append(draft.story_id)
        return real_draft_articles(self, draft, members)

    monkeypatch.setattr(Pipeline, "_draft_articles", draft_articles)

    with open_store(tmp_path / "s.db") as store:
        one = run_pipeline(store, options)
        published = {d.story_id for d in store.list_drafts(status="published")}
        assert one.site_stories == len(published) >= 3
        assert sorted(read) == sorted(published)  # a new site: every story rendered
        newest_first = [s.id for s in store.list_stories(limit=None) if s.id in published]
        assert _listed(site) == newest_first
        assert (site / "page" / "2.html").is_file()

        # Nothing new: no story is rendered, so no article is read, and no file written.
        read.clear()
        stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
        run_pipeline(store, options)
        assert read == []
        assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == stamps

        # One story grows and a new one arrives: only those two are read and rendered.
        before = {d.story_id: d.draft for d in store.list_drafts()}
        write_docs(pages, cluster_docs(0, first, 2, 3, start) + cluster_docs(5, other, 0, 1, start))
        two = run_pipeline(store, options)
        assert two.drafts_published == 2
        after = {d.story_id: d.draft for d in store.list_drafts(status="published")}
        changed = {sid for sid, draft in after.items() if before.get(sid) != draft}
        assert len(changed) == 2 and sorted(read) == sorted(changed)
        newest_first = [s.id for s in store.list_stories(limit=None) if s.id in after]
        assert _listed(site) == newest_first

        # A story page deleted by hand is rendered again, from its own articles only.
        read.clear()
        gone = sorted(after)[0]
        (site / "stories" / f"{gone}.html").unlink()
        run_pipeline(store, options)
        assert read == [gone]
        assert (site / "stories" / f"{gone}.html").is_file()


def test_the_run_command_takes_a_page_size_and_refuses_one_below_one(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsdesk.cli import app

    pages = write_docs(tmp_path / "pages", single_docs(5))
    db, out = tmp_path / "s.db", tmp_path / "site"
    runner = CliRunner()
    refused = runner.invoke(
        app, ["run", str(pages), "--db", str(db), "--out", str(out), "--page-size", "0"]
    )
    assert refused.exit_code != 0 and "--page-size" in refused.output
    assert not out.exists()
    done = runner.invoke(
        app, ["run", str(pages), "--db", str(db), "--out", str(out), "--page-size", "2"]
    )
    assert done.exit_code == 0, done.output
    assert len(_listed(out)) == 5
    assert sorted(p.name for p in (out / "page").iterdir()) == ["2.html", "3.html"]


def test_a_run_that_changed_nothing_leaves_a_current_site_unrendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsdesk.publish.site as site_module

    calls: list[Path] = []
    real_publish = site_module.publish_site

    def publish_site(drafts, out_dir, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(Path(out_dir))
        return real_publish(drafts, out_dir, **kwargs)

    monkeypatch.setattr(site_module, "publish_site", publish_site)
    pages = write_docs(tmp_path / "pages", single_docs(4))
    site = tmp_path / "site"
    options = RunOptions([str(pages)], out_dir=site, page_size=2)
    with open_store(tmp_path / "s.db") as store:
        first = run_pipeline(store, options)
        assert len(calls) == 1 and first.site_stories == 4

        again = run_pipeline(store, options)  # nothing changed: the site is current
        assert len(calls) == 1
        assert (again.site_files, again.site_stories) == (first.site_files, first.site_stories)

        # Whatever the site was made from, or the site itself, changed: published again.
        run_pipeline(store, RunOptions([str(pages)], out_dir=site, page_size=3))
        assert len(calls) == 2
        (site / "index.html").write_text("edited by hand", encoding="utf-8")
        run_pipeline(store, RunOptions([str(pages)], out_dir=site, page_size=3))
        assert len(calls) == 3 and "edited by hand" not in (site / "index.html").read_text()
        story_page = next((site / "stories").glob("*.html"))
        story_page.unlink()
        run_pipeline(store, RunOptions([str(pages)], out_dir=site, page_size=3))
        assert len(calls) == 4 and story_page.is_file()
        write_docs(pages, single_docs(5))  # a fifth page: a new story
        grown = run_pipeline(store, RunOptions([str(pages)], out_dir=site, page_size=3))
        assert len(calls) == 5 and grown.site_stories == 5

    # Another store publishing into the same folder: the first one's next run publishes.
    with open_store(tmp_path / "other.db") as other:
        run_pipeline(
            other, RunOptions([str(write_docs(tmp_path / "o", single_docs(2)))], out_dir=site)
        )
    assert len(calls) == 6
    with open_store(tmp_path / "s.db") as store:
        back = run_pipeline(store, RunOptions([str(pages)], out_dir=site, page_size=3))
    assert len(calls) == 7 and back.site_stories == 5
