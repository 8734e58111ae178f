"""Tables that read: claims named in words (ids only as anchors and hover titles), each row's
source, numbers right-aligned, no cell centred, every caption ending in its provenance link, and
SHA-256 digests that break in the PDF but stay whole in the HTML."""

from __future__ import annotations

import re

import pytest

from conftest import CLAIMS

ANCHOR = re.compile(r"\{#[^}]*\}")  # Pandoc attributes: {#claim-x title="x"}


def visible(markdown: str) -> str:
    """What a reader sees of a Markdown table: attributes and shortcodes removed."""
    return re.sub(r"\{\{<.*?>\}\}", "", ANCHOR.sub("", markdown))


@pytest.fixture(scope="module")
def sources():
    import yaml

    return yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))["sources"]


@pytest.fixture(scope="module")
def rows(claims, config):
    """Verification rows as read back from the CSV (strings), for a cohort equal to the claims."""
    from anakinra_replication.event_days import evenly_spread_days, event_day_table
    from anakinra_replication.verify import verification_rows

    outcomes: dict = {}
    for c in claims:  # every numeric claim reproduced exactly: the table's layout is under test
        if c["kind"] != "qualitative":
            value = float(c["value"].rstrip("%"))
            outcomes.setdefault(c["outcome"], {}).setdefault("all" if c["arm"] == "unstated" else c["arm"], {})[
                c["kind"]
            ] = value
    count = {(c["outcome"], c["arm"]): int(c["value"]) for c in claims if c["kind"] == "count"}
    relations = {  # event days on the even spread, as the reconstruction starts
        arm: {
            "death_days": evenly_spread_days(count[("died", arm)], 21),
            "mech_vent_days": evenly_spread_days(count[("mech_vent", arm)], 21),
        }
        for arm in ("anakinra", "standard")
    }
    days = event_day_table(relations, ["anakinra", "standard"], 21)
    made = verification_rows(claims, outcomes, config["reconstruction"]["assumptions"], days)
    return [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in made]


def test_verification_table_names_claims_in_words(rows, claims, sources):
    from anakinra_replication.tables import verification_table

    table = verification_table(rows, claims, sources)
    shown = visible(table)
    assert [c["id"] for c in claims if c["id"] in shown] == []
    assert "Died, anakinra: percentage" in shown
    assert '{#claim-died_anakinra_percent title="died_anakinra_percent"}' in table
    assert "Brooks 2020, paragraph 5" in shown


def test_numbers_are_right_aligned_and_nothing_is_centred(rows, claims, sources):
    from anakinra_replication.tables import verification_table

    lines = verification_table(rows, claims, sources).splitlines()
    rule = lines[next(k for k, line in enumerate(lines) if line.startswith("| Claim |")) + 1]
    assert rule == "|:---|---:|---:|:---|:---|:---|"


def test_a_quoted_passage_is_numbered_and_printed_once(rows, claims, sources):
    from anakinra_replication.tables import statements_table, verification_table

    twice = ("died_anakinra_count", "died_anakinra_percent")
    quoted = [{**c, "quote": "Three patients died"} if c["id"] in twice else c for c in claims]
    quoted = [{k: v for k, v in c.items() if k != "quote"} if c["id"] not in twice else c for c in quoted]
    table = verification_table(rows, quoted, sources)
    assert table.count("; [quote 1](#quote-1)") == 2 and "Three patients died" not in table
    passages = statements_table(rows, quoted, sources)
    assert passages.count("Three patients died") == 1 and "1. [“Three patients died”]{#quote-1}" in passages
    assert "^[“" not in table  # no passage as a footnote


def test_assumptions_table_shows_no_identifier(config, claims, rows):
    from anakinra_replication.tables import assumptions_table

    table = assumptions_table(config["reconstruction"]["assumptions"], claims, rows)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", visible(table)), "a snake_case identifier is shown"
    assert "{#assumption-complete_followup}" in table
    assert "-" not in table.splitlines()[0], "a hyphen in the header"


def test_every_caption_ends_with_its_provenance_link():
    from anakinra_replication.tables import markdown

    table = markdown([{"a": "1"}], {"a": "A"}, "Caption.", "tbl-some-thing")
    assert table.rstrip().endswith("Caption. {{< meta provenance.links.tbl_some_thing >}} {#tbl-some-thing}")


def test_a_digest_is_exactly_its_64_characters_in_html_and_pdf():
    from anakinra_replication.tables import hash_cell

    digest = "0123456789abcdef" * 4
    cell = hash_cell(digest)
    assert f'`<code class="sha256">{digest}</code>`{{=html}}' in cell
    assert re.search(r'#raw\("(.*)"\)', cell).group(1) == digest  # no break character inserted
    assert "\u200b" not in cell


def test_a_long_table_may_break_across_pages_a_short_one_not():
    from anakinra_replication.tables import LONG_TABLE_ROWS, markdown

    short = markdown([{"a": "1"}] * LONG_TABLE_ROWS, {"a": "A"}, "Caption.", "tbl-short")
    long = markdown([{"a": "1"}] * (LONG_TABLE_ROWS + 1), {"a": "A"}, "Caption.", "tbl-long")
    assert "breakable" not in short
    assert long.index("breakable: true") < long.index("| A |") < long.index("breakable: false")
