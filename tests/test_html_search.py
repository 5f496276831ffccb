"""The search index (pipeline/html/search.py) without a browser: folding, words,
postings, shards, filters. The browser tests (test_html_browser.py) run the queries."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path

import pytest

from pipeline.html import search

ROOT = Path(__file__).resolve().parent.parent


def data_of(script: bytes) -> object:
    text = script.decode("utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def decode(postings: str, default: int = search.DEFAULT_WEIGHT) -> dict[int, int]:
    """The postings as {document number: weight} (as search.js reads them)."""
    out, n = {}, 0
    for part in postings.split(","):
        delta, _, weight = part.partition(".")
        n += int(delta, 36)
        out[n] = int(weight, 36) if weight else default
    return out


def record(n: int, text: str, **facets: list[tuple[str, str]]) -> search.Record:
    return search.Record(id=f"d{n}", url=f"documents/d{n}.html", label=f"No. {n}", heading=f"Heading {n}",
                         date=f"1921-0{n}-01" if n < 10 else "", date_label="", text=text, facets=dict(facets))


def test_fold_removes_case_and_accents() -> None:
    assert search.fold("Atatürk ÇAKMAK Łódź Straße") == "ataturk cakmak lodz strasse"
    assert search.words("Kars, Karsky; Nagorno-Karabakh (1920)") == ["kars", "karsky", "nagorno", "karabakh", "1920"]


def test_postings_are_deltas_in_base_36() -> None:
    assert search.encode_postings([(1, 1), (3, 2), (40, 1)]) == "1,2.2,11"


def test_whole_words_stems_and_filters() -> None:
    records = [record(1, "The treaty of Kars.", type=[("treaty", "Treaty")]),
               record(2, "Karsky wrote about treaties.", type=[("letter", "Letter")]),
               record(3, "Nothing here, Kars again and Kars.", type=[("letter", "Letter")])]
    files = search.build_index(records)
    meta = data_of(files["search/meta.js"])
    assert isinstance(meta, dict) and meta["n"] == 3
    shard = data_of(files[f"search/s/{search.file_key(search.shard_of('kars', meta['shards']))}.js"])
    assert isinstance(shard, dict)
    kars = decode(shard["kars"][1])
    assert shard["kars"][0] == 2 and set(kars) == {1, 3}  # not Karsky's document 2
    assert kars[3] > kars[1]  # twice in a text of the same length: ranked higher (BM25)
    assert shard["karsky"][0] == 1 and set(decode(shard["karsky"][1])) == {2}
    treaties = data_of(files[f"search/s/{search.file_key(search.shard_of('treaties', meta['shards']))}.js"])
    assert isinstance(treaties, dict) and treaties["treaties"][2] == treaties["treaty"][2] == "treati"
    assert data_of(files["search/f/type/letter.js"]) == {"letter": ["Letter", "2,1"]}  # a file per value
    assert data_of(files["search/f/type/treaty.js"]) == {"treaty": ["Treaty", "1"]}
    assert not any(re.fullmatch(r"search/f/[^/]+\.js", f) for f in files)
    assert data_of(files["search/dates.js"]) == [["1921-01-01", 1], ["1921-02-01", 2], ["1921-03-01", 3]]
    assert data_of(files["search/d/2.js"])["x"] == "Karsky wrote about treaties."  # type: ignore[index]


def test_a_filter_value_of_any_length_has_a_short_file_name() -> None:
    long = "the People's Commissar for Foreign Affairs of the RSFSR, G. Chicherin " * 4
    names = {k: search.facet_file_key(k) for k in ("p_chicherin", long, long + "!", "Ankara Çankaya")}
    assert names["p_chicherin"] == "p_chicherin"
    assert names[long].startswith("the-people-s-commissar-f-") and len(names[long]) == 33
    assert names[long] != names[long + "!"] and re.fullmatch(r"ankara-ankaya-[0-9a-f]{8}", names["Ankara Çankaya"])
    files = search.build_index([record(1, "a", correspondent=[(long, "Chicherin")])])
    assert data_of(files[f"search/f/correspondent/{names[long]}.js"]) == {long: ["Chicherin", "1"]}


def test_long_texts_are_split_into_parts() -> None:
    text = " ".join(f"word{i}" for i in range(3000))
    files = search.build_index([record(1, text)])
    doc = data_of(files["search/d/1.js"])
    assert isinstance(doc, dict) and doc["p"] > 1
    parts = [doc["x"]] + [data_of(files[f"search/d/1-{i}.js"]) for i in range(1, doc["p"])]
    assert "".join(str(p) for p in parts) == text and all(len(str(p)) <= search.TEXT_PART for p in parts)


def test_large_vocabularies_split_into_small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 400)
    monkeypatch.setattr(search, "OWN_FILE_BYTES", 200)
    text = " ".join(f"s{a}{b}{c}" for a in "abc" for b in "abcdef" for c in "xyz") + " s sa"
    files = search.build_index([record(n, text + (" the" * n)) for n in range(1, 200)])
    meta = data_of(files["search/meta.js"])
    assert isinstance(meta, dict)
    assert "s$" in meta["shards"] and "sa" in meta["shards"] and "s" not in meta["shards"]
    for key in meta["shards"]:
        shard = data_of(files[f"search/s/{search.file_key(key)}.js"])
        assert isinstance(shard, dict) and shard
        for word, entry in shard.items():
            assert search.shard_of(word, meta["shards"]) == key
            if entry[1] == 0:  # a frequent word: its postings in a file of its own
                assert f"search/w/{search.file_key(word)}.js" in files
    the = decode(str(data_of(files["search/w/the.js"])))
    assert list(the) == list(range(1, 200)) and the[199] > the[1]


def test_no_script_end_tag_in_any_file() -> None:
    files = search.build_index([record(1, "a </script><script>alert(1)</script> b")])
    assert not any(re.search(rb"</script", data, re.I) for data in files.values())


def test_file_keys_are_safe_names() -> None:
    assert search.file_key("kars") == "kars"
    assert search.file_key("ʹ") == "u2b9"
    assert search.file_key("th$") == "u74-68-24"


def test_a_filter_with_many_values_is_a_text_field_whose_names_are_sharded(monkeypatch: pytest.MonkeyPatch) -> None:
    people = [(f"p_{i}", f"Person{i:03d} Surname{i % 7}") for i in range(300)]
    records = [record(i + 1, "text", correspondent=[people[i]], type=[("letter", "Letter")]) for i in range(300)]
    options = search.facet_options(records, menu=100)
    assert options["correspondent"] == 300  # too many for a menu: only their number goes into the page
    assert options["type"] == [["letter", "Letter", 300]]
    monkeypatch.setattr(search, "SHARD_BYTES", 2_000)
    names = search.facet_name_files(records)
    keys = names.prefixes["correspondent"]
    assert len(keys) > 2 and all(len(f) < 4_000 for f in names.files.values())  # sharded small
    found: dict[str, set[str]] = {}
    for path, data in names.files.items():
        if path.startswith("search/n/correspondent/"):
            shard = data_of(data)
            assert isinstance(shard, dict)
            for word, values in shard.items():
                assert search.shard_of(word, keys) in path or search.file_key(search.shard_of(word, keys)) in path
                found.setdefault(word, set()).update(v[0] for v in values)
    # every value is found under each word of its name (a surname finds its people)
    assert found["person042"] == {"p_42"}
    assert found["surname3"] == {f"p_{i}" for i in range(300) if i % 7 == 3}
    index = search.build_index(records)
    assert data_of(index["search/meta.js"])["names"]["correspondent"] == keys  # type: ignore[index]


def test_filter_menu_is_a_checked_setting(tmp_path: Path) -> None:
    from pipeline.config import load_config
    from pipeline.errors import EditionError

    text = (ROOT / "edition.yaml").read_text(encoding="utf-8")
    (tmp_path / "edition.yaml").write_text(text + "\nweb:\n  filter_menu: 40\n", encoding="utf-8")
    assert load_config(tmp_path / "edition.yaml").web.filter_menu == 40
    (tmp_path / "edition.yaml").write_text(text + "\nweb:\n  filter_menu: many\n", encoding="utf-8")
    with pytest.raises(EditionError, match=r"web\.filter_menu must be a whole number"):
        load_config(tmp_path / "edition.yaml")


def test_an_index_updated_in_place_is_the_index_made_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """update_index (an edit to a few documents) gives byte for byte the files and state of
    make_index, over random edits: words added, dropped, repeated, headings, filters,
    texts growing past a part; words moving in and out of their own file."""
    monkeypatch.setattr(search, "SHARD_BYTES", 3000)
    monkeypatch.setattr(search, "OWN_FILE_BYTES", 60)
    monkeypatch.setattr(search, "TEXT_PART", 200)
    rng = random.Random(13)
    vocabulary = [f"{a}{b}{c}" for a in "kst" for b in "aeiou" for c in "lmnrs"] + ["the", "of", "kars", "treaty"]

    def text() -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 60)))

    records = [record(n, text(), type=[(rng.choice(["letter", "note"]), "x")]) for n in range(1, 61)]
    index = search.make_index(records)
    updated = stale = 0
    for _ in range(150):
        edited = list(records)
        for i in rng.sample(range(len(edited)), rng.randint(1, 3)):
            r = edited[i]
            change = rng.choice(["add", "drop", "heading", "filter", "new"])
            if change == "add":
                edited[i] = dataclasses.replace(r, text=r.text + " " + rng.choice(vocabulary))
            elif change == "drop":
                edited[i] = dataclasses.replace(r, text=" ".join(r.text.split()[1:]))
            elif change == "heading":
                edited[i] = dataclasses.replace(r, heading=f"{rng.choice(vocabulary)} heading")
            elif change == "filter":
                k = rng.randint(1, 30)
                edited[i] = dataclasses.replace(r, facets={"type": [(f"t{k}", "y")],
                                                           "correspondent": [(f"p{k}", f"Person {k % 7} Name{k}")]})
            else:
                edited[i] = dataclasses.replace(r, text=text() + " unheard" + str(rng.randint(1, 9)))
        digests = search.record_digests(edited)
        whole = search.make_index(edited, digests)
        try:
            update = search.update_index(edited, digests, index.state, index.files.__getitem__, set(index.files))
        except search.Stale:
            stale += 1
        else:
            files = {k: v for k, v in index.files.items() if k not in update.removed}
            files.update(update.files)
            assert files == whole.files
            assert update.state == whole.state
            assert len(update.files) < len(whole.files)
            updated += 1
        records, index = edited, whole
    assert updated > 100, (updated, stale)
    with pytest.raises(search.Stale):  # a document added: the numbers move
        search.update_index([*records, record(99, "x")], search.record_digests([*records, record(99, "x")]),
                            index.state, index.files.__getitem__, set(index.files))
