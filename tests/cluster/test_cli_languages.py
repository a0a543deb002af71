"""`newsdesk cluster --mix-languages / --no-language-guess`, and the store keeping its config.

Fixtures: the hand-written multilingual items of tests/data/cluster_languages.json (``fr-bce``
and ``es-bce`` are one event, the ECB's rate rise, reported in French and in Spanish).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.cluster import ClusterConfig, cluster_articles
from newsdesk.pipeline.clustering import stored_config
from newsdesk.store import open_store
from tests.cluster.conftest import printed_objects, write_jsonl
from tests.cluster.test_languages import FIXTURES, load, partition

ECB = ("fr-bce", "es-bce")


def _rows(*, labels: bool = True, stories: tuple[str, ...] = ()) -> list[dict]:
    rows = json.loads(FIXTURES.read_text(encoding="utf-8"))["articles"]
    out = []
    for row in rows:
        if stories and row["story"] not in stories:
            continue
        item = {k: row[k] for k in ("id", "title", "text", "published")}
        if labels:
            item["language"] = row["language"]
        out.append(item)
    return out


def _cluster(tmp_path: Path, rows: list[dict], *flags: str, name: str = "in.jsonl"):
    source = write_jsonl(tmp_path / name, rows)
    return CliRunner().invoke(app, ["cluster", str(source), "--db", str(tmp_path / "n.db"), *flags])


def _stories(output: str) -> dict[str, str]:
    return {p["article_id"]: p["story_id"] for p in printed_objects(output)}


def test_languages_mix_by_default_and_stay_apart_with_the_flag(tmp_path: Path) -> None:
    rows = _rows(stories=ECB)
    apart = tmp_path / "apart"
    apart.mkdir()
    separate = _cluster(apart, rows, "--separate-languages")
    assert separate.exit_code == 0, separate.output
    stories = _stories(separate.output)
    assert stories["fr-bce-1"] != stories["es-bce-1"]
    assert len({stories[r["id"]] for r in rows}) == 2

    mixed_dir = tmp_path / "mixed"
    mixed_dir.mkdir()
    mixed = _cluster(mixed_dir, rows)
    assert mixed.exit_code == 0, mixed.output
    assert set(_stories(mixed.output).values()) == {_stories(mixed.output)["fr-bce-1"]}
    with open_store(str(mixed_dir / "n.db")) as store:
        config = stored_config(store)
    assert config is not None and config.separate_languages is False
    assert config.guess_languages is True  # the option not given keeps its default


def test_a_store_made_with_separate_languages_keeps_them_apart(tmp_path: Path) -> None:
    # A store clustered one language per story (the default of earlier versions) keeps that
    # rule when later runs give no option: the new default does not change an old store.
    rows = _rows(stories=ECB)
    first = [r for r in rows if r["id"] in ("fr-bce-1", "es-bce-1")]
    later = [r for r in rows if r["id"] not in ("fr-bce-1", "es-bce-1")]
    made = _cluster(tmp_path, first, "--separate-languages", name="first.jsonl")
    assert made.exit_code == 0, made.output
    rest = _cluster(tmp_path, later, name="rest.jsonl")
    assert rest.exit_code == 0, rest.output
    stories = {**_stories(made.output), **_stories(rest.output)}
    assert len({stories[r["id"]] for r in rows}) == 2
    with open_store(str(tmp_path / "n.db")) as store:
        config = stored_config(store)
    assert config is not None and config.separate_languages is True


def test_no_language_guess_clusters_as_the_library_does_without_guessing(tmp_path: Path) -> None:
    rows = _rows(labels=False)
    result = _cluster(tmp_path, rows, "--no-language-guess")
    assert result.exit_code == 0, result.output
    articles, _ = load(labels=False)
    expected = partition(cluster_articles(articles, ClusterConfig(guess_languages=False)))
    guessed = partition(cluster_articles(articles))
    assert expected != guessed  # the option changes the stories of this sample
    assert partition(list(_stories(result.output).items())) == expected
    with open_store(str(tmp_path / "n.db")) as store:
        config = stored_config(store)
    assert config is not None and config.guess_languages is False


def test_the_store_keeps_its_config_and_refuses_a_contradicting_flag(tmp_path: Path) -> None:
    rows = _rows(stories=ECB)
    first = [r for r in rows if r["id"] in ("fr-bce-1", "es-bce-1")]
    later = [r for r in rows if r["id"] not in ("fr-bce-1", "es-bce-1")]
    made = _cluster(tmp_path, first, "--mix-languages", name="first.jsonl")
    assert made.exit_code == 0, made.output
    mixed_story = _stories(made.output)["fr-bce-1"]
    assert _stories(made.output)["es-bce-1"] == mixed_story

    refused = _cluster(tmp_path, later, "--separate-languages", name="later.jsonl")
    assert refused.exit_code == 1
    assert "languages mixed in a story (--mix-languages)" in refused.output
    assert "Leave --separate-languages out" in refused.output
    assert _stories(refused.output) == {}
    with open_store(str(tmp_path / "n.db")) as store:  # nothing of the refused input stored
        assert store.get_articles([r["id"] for r in later]) == []

    # Given again as the store has it, or left out: the store goes on mixing languages.
    same = _cluster(tmp_path, later[:1], "--mix-languages", name="same.jsonl")
    assert same.exit_code == 0, same.output
    rest = _cluster(tmp_path, later[1:], name="rest.jsonl")
    assert rest.exit_code == 0, rest.output
    joined = {**_stories(same.output), **_stories(rest.output)}
    assert set(joined.values()) == {mixed_story}


def test_a_contradicting_guess_flag_is_refused_too(tmp_path: Path) -> None:
    rows = _rows(labels=False, stories=("de-streik",))
    made = _cluster(tmp_path, rows[:1], name="first.jsonl")  # defaults: guessing on
    assert made.exit_code == 0, made.output
    refused = _cluster(tmp_path, rows[1:], "--no-language-guess", name="later.jsonl")
    assert refused.exit_code == 1
    assert "(--language-guess)" in refused.output
    assert "Leave --no-language-guess out" in refused.output
    agreed = _cluster(tmp_path, rows[1:], "--language-guess", "--mix-languages")
    assert agreed.exit_code == 0, agreed.output


def test_an_unreadable_saved_state_takes_the_flags(tmp_path: Path) -> None:
    # A state written by another version cannot be read: clustering starts afresh (as
    # ``load_clusterer`` does), so the flags are free to choose, and the new state keeps them.
    with open_store(str(tmp_path / "n.db")) as store:
        store.set_state("clusterer", b"not a clusterer state")
    result = _cluster(tmp_path, _rows(stories=ECB), "--mix-languages")
    assert result.exit_code == 0, result.output
    assert len(set(_stories(result.output).values())) == 1
    with open_store(str(tmp_path / "n.db")) as store:
        config = stored_config(store)
    assert config is not None and not config.separate_languages


def test_headline_words_is_kept_by_the_store_and_the_other_flag_is_refused(
    tmp_path: Path, uci_sample
) -> None:
    """`--headline-words` clusters English headlines as the library does with
    ``title_embeddings=False``; the store keeps it, and `--headline-meaning` on it later is
    refused naming both flags, with nothing written."""
    articles, _ = uci_sample
    rows = [{"id": a.id, "title": a.title, "published": a.published_iso} for a in articles[:40]]
    words = _cluster(tmp_path, rows[:30], "--headline-words")
    assert words.exit_code == 0, words.output
    expected = dict(cluster_articles(articles[:30], ClusterConfig(title_embeddings=False)))
    assert _stories(words.output) == expected
    assert dict(cluster_articles(articles[:30])) != expected  # the flag matters here
    with open_store(str(tmp_path / "n.db")) as store:
        assert stored_config(store) == ClusterConfig(title_embeddings=False)
    refused = _cluster(tmp_path, rows[30:], "--headline-meaning", name="more.jsonl")
    assert refused.exit_code != 0
    assert "headlines compared by words alone (--headline-words)" in refused.output
    assert "--headline-meaning" in refused.output
    with open_store(str(tmp_path / "n.db")) as store:
        assert len(store.list_stories(limit=None)) == len(set(expected.values()))
    # Left out, the store goes on by words alone.
    went_on = _cluster(tmp_path, rows[30:], name="more.jsonl")
    assert went_on.exit_code == 0, went_on.output
