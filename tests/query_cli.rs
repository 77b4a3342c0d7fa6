//! The query commands driven as a user would (temp folder, index, then search,
//! mentions, count, batch, topics, committees, export), in every output format:
//! 1. each command's output parses and carries the fields DESIGN.md names;
//! 2. items match as wholes: words in different chunks, a phrase across a chunk
//!    boundary; filters narrow without changing scores; sort, offset, group-by;
//! 3. a bad query is exit code 2 with the position marked; a bad batch line is an
//!    error object and the batch goes on, 1,000 lines in, 1,000 lines out, in order;
//! 4. the same query twice gives byte-identical output (took_ms aside in JSON);
//! 5. count --chart writes an SVG; export writes one quickwit.yaml line per chunk.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Fixture {
    _tmp: tempfile::TempDir,
    docs: PathBuf,
    index: PathBuf,
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Pages in our own words: two councils, three committees, a long report.
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let issue = |title: &str, committee: &str, date: &str, n: u32, body: &str| {
        format!("Issue - meetings\n\n{title}\n\nMeeting: {date} - {committee} (Item {n})\n\n{n} {title} pdf icon PDF 80 KB\n\nMinutes:\n\n{body}\n")
    };
    write(&docs.join("eastmoor/a.txt"), &issue("Runaway teenagers", "Cabinet", "14/03/2016", 41, "The Cabinet heard that return home interviews reached most missing children this year, and that county lines work continued."));
    write(&docs.join("eastmoor/b.txt"), &issue("Front door review", "Children's Scrutiny Panel", "02/02/2017", 7, "Members asked how the multi-agency safeguarding hub triaged referrals about missing children from schools."));
    write(&docs.join("eastmoor/c.txt"), &issue("Exploitation strategy", "Children’s Scrutiny Panel", "09/05/2019", 12, "The panel reviewed the exploitation strategy. Exploited young people were supported; county lines and criminal exploitation were discussed."));
    write(&docs.join("westfold/d.txt"), &issue("Fostering allowances", "Corporate Parenting Board", "05/06/2017", 2, "The board discussed fostering allowances and a campaign for new foster carers. Missing children were not discussed."));
    // A report long enough to be split into several chunks, with "domestic" near
    // its start and "violence" near its end, and a phrase placed at a chunk bound.
    let filler = "The partnership described its work with schools and health visitors across the year in some detail. ";
    let mut long = String::from("Annual partnership report\n\nThe report opens with domestic matters.\n\n");
    for _ in 0..40 {
        long.push_str(filler);
    }
    long.push_str("\n\nIt closes with violence prevention.");
    write(&docs.join("westfold/report.txt"), &long);
    // A phrase cut in two by the passage boundary: the first passage ends with
    // "safeguarding" (no full stop) after a paragraph past the chunk target.
    let words = "Officers gave a long account of the pressures on the service this year ".repeat(20);
    let more = "The board agreed to return to the matter at a later meeting of the year ".repeat(8);
    write(
        &docs.join("westfold/bound.txt"),
        &format!(
            "Board notes\n\n{words}and of contextual safeguarding\n\nhubs across the borough were reviewed. {more}\n"
        ),
    );
    let index = tmp.path().join("ix");
    let out = sg(&index, &["index", "--format", "json", docs.to_str().unwrap()]);
    assert_eq!(out.0, 0, "{}", out.2);
    Fixture { _tmp: tmp, docs, index }
}

fn sg(index: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sgsearch"))
        .env_remove("SGSEARCH_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(index: &Path, args: &[&str]) -> Value {
    let (code, out, err) = sg(index, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

#[test]
fn search_in_every_format_with_filters_sort_and_groups() {
    let f = fixture();
    let r = json(&f.index, &["search", "--format", "json", "missing children"]);
    for key in ["query", "total", "took_ms", "hits", "facets"] {
        assert!(r.get(key).is_some(), "no {key}");
    }
    assert_eq!(r["total"], 3);
    let hit = &r["hits"][0];
    for key in [
        "rank",
        "score",
        "council",
        "committee",
        "meeting_date",
        "item_number",
        "item_title",
        "topics",
        "snippet",
        "source",
        "url",
    ] {
        assert!(hit.get(key).is_some(), "hit has no {key}");
    }
    assert!(
        hit["snippet"].as_str().unwrap().contains("[[missing children]]")
            || hit["snippet"].as_str().unwrap().contains("[[Missing children]]")
    );
    assert_eq!(r["facets"]["council"][0]["key"], "Eastmoor");
    assert_eq!(r["facets"]["council"][0]["count"], 2);

    // Other forms of a word: "exploited" finds "exploitation".
    let r = json(&f.index, &["search", "--format", "json", "exploited"]);
    assert_eq!(r["total"], 1);

    // Filters narrow without changing scores.
    let all = json(&f.index, &["search", "--format", "json", "missing"]);
    let filtered = json(&f.index, &["search", "--format", "json", "--committee", "scrutiny", "missing"]);
    assert_eq!(filtered["total"], 1);
    let score_of = |r: &Value, id: &Value| {
        r["hits"].as_array().unwrap().iter().find(|h| h["item_id"] == *id).map(|h| h["score"].clone())
    };
    let id = &filtered["hits"][0]["item_id"];
    assert_eq!(score_of(&all, id), score_of(&filtered, id));
    // Committee names match case-, apostrophe- and substring-insensitively.
    let both =
        json(&f.index, &["search", "--format", "json", "--committee", "CHILDREN'S SCRUTINY PANEL", "panel OR hub"]);
    assert_eq!(both["total"], 2, "’ and ' spellings are one committee");
    let dated = json(&f.index, &["search", "--format", "json", "--from", "2017", "--to", "2017-06", "missing"]);
    assert_eq!(dated["total"], 2);
    let topic = json(&f.index, &["search", "--format", "json", "--topic", "fostering", "board"]);
    assert_eq!(topic["total"], 1);

    // Sort by date, newest first; paging agrees with a longer page.
    let by_date =
        json(&f.index, &["search", "--format", "json", "--sort", "date", "missing OR exploitation OR fostering"]);
    let dates: Vec<&str> =
        by_date["hits"].as_array().unwrap().iter().map(|h| h["meeting_date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2019-05-09", "2017-06-05", "2017-02-02", "2016-03-14"]);
    let page2 = json(
        &f.index,
        &[
            "search",
            "--format",
            "json",
            "--sort",
            "date",
            "--limit",
            "2",
            "--offset",
            "2",
            "missing OR exploitation OR fostering",
        ],
    );
    assert_eq!(page2["hits"][0]["item_id"], by_date["hits"][2]["item_id"]);
    assert_eq!(page2["hits"][0]["rank"], 3);

    let grouped = json(&f.index, &["search", "--format", "json", "--group-by", "committee", "missing OR exploitation"]);
    let groups = grouped["groups"].as_array().unwrap();
    assert!(groups.iter().any(|g| g["hits"].as_array().unwrap().len() == 2), "{groups:?}");

    let (code, text, _) = sg(&f.index, &["search", "county lines"]);
    assert_eq!(code, 0);
    assert!(text.contains("2 matching item(s)"), "{text}");
    assert!(text.contains("[[county lines]]") || text.contains("[[county]] [[lines]]"), "{text}");
    let (code, lines, _) = sg(&f.index, &["search", "--format", "jsonl", "county lines"]);
    assert_eq!(code, 0);
    assert_eq!(lines.lines().count(), 2);
    let (code, csv, _) = sg(&f.index, &["search", "--format", "csv", "county lines"]);
    assert_eq!(code, 0);
    assert!(csv.starts_with("rank,score,council,committee,meeting_date"), "{csv}");
    assert_eq!(csv.lines().count(), 3);
}

#[test]
fn items_match_as_wholes_across_chunks() {
    let f = fixture();
    let parsed = sg(&f.index, &["parse", f.docs.join("westfold/report.txt").to_str().unwrap()]);
    let chunks: u64 =
        parsed.1.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["chunks"].as_u64().unwrap()).sum();
    assert!(chunks >= 2, "the report should be several chunks");
    // "domestic" opens the report and "violence" closes it: one item has both.
    assert_eq!(json(&f.index, &["search", "--format", "json", "domestic violence"])["total"], 1);
    assert_eq!(json(&f.index, &["count", "--format", "json", "domestic violence"])["items"], 1);
    assert_eq!(json(&f.index, &["count", "--format", "json", "domestic AND NOT violence"])["items"], 0);

    // The phrase across the passage boundary is found, counted and ranked.
    let parsed = sg(&f.index, &["parse", f.docs.join("westfold/bound.txt").to_str().unwrap()]);
    assert!(parsed.1.contains("\"chunks\":2"), "{}", parsed.1);
    let r = json(&f.index, &["search", "--format", "json", "\"safeguarding hubs\""]);
    assert_eq!(r["total"], 1);
    assert!(r["hits"][0]["source"].as_str().unwrap().ends_with("bound.txt"), "{r}");
    assert_eq!(json(&f.index, &["count", "--format", "json", "\"safeguarding hubs\""])["mentions"], 1);
    let (_, rows, _) = sg(&f.index, &["mentions", "--format", "jsonl", "\"safeguarding hubs\""]);
    assert_eq!(rows.lines().count(), 1);
}

#[test]
fn mentions_and_count_agree_in_every_format() {
    let f = fixture();
    let c = json(&f.index, &["count", "--format", "json", "--by", "year", "missing"]);
    for key in ["query", "items", "mentions", "buckets"] {
        assert!(c.get(key).is_some(), "no {key}");
    }
    assert_eq!(c["items"], 3);
    assert_eq!(c["mentions"], 3);
    let years: Vec<(&str, u64)> = c["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["key"].as_str().unwrap(), b["items"].as_u64().unwrap()))
        .collect();
    assert_eq!(years, [("2016", 1), ("2017", 2)]);

    let (code, csv, err) = sg(&f.index, &["mentions", "--context", "2", "missing"]);
    assert_eq!(code, 0, "{err}");
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("council,committee,meeting_date,item_number,item_title,source,url,left,match,right,item_id,offset")
    );
    let rows: Vec<&str> = rows.collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].contains("2016-03-14") && rows[2].contains("2017-06-05"), "date order: {csv}");
    assert!(rows[0].contains(",reached most,missing,children this,"), "{}", rows[0]);

    let (code, jsonl, _) = sg(&f.index, &["mentions", "--format", "jsonl", "explo*"]);
    assert_eq!(code, 0);
    let words: Vec<String> = jsonl
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["match"].as_str().unwrap().to_string())
        .collect();
    // The title line, the numbered item line, then the minutes.
    assert_eq!(
        words,
        ["Exploitation", "Exploitation", "exploitation", "Exploited", "exploitation"],
        "prefixes report the word matched"
    );
    let c = json(&f.index, &["count", "--format", "json", "explo*"]);
    assert_eq!(c["mentions"], 5);

    let (code, csv, _) = sg(&f.index, &["count", "--format", "csv", "--by", "committee", "missing"]);
    assert_eq!(code, 0);
    assert!(csv.starts_with("key,items,mentions\ntotal,3,3\n"), "{csv}");
    let (code, text, _) = sg(&f.index, &["count", "--by", "council", "missing"]);
    assert_eq!(code, 0);
    assert!(text.contains("3 item(s), 3 mention(s)") && text.contains("Eastmoor"), "{text}");

    let svg = f.index.parent().unwrap().join("trend.svg");
    let (code, _, err) = sg(&f.index, &["count", "--by", "year", "--chart", svg.to_str().unwrap(), "missing"]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("count &quot;missing&quot;") && svg.contains("2016"),
        "{}",
        &svg[..200]
    );
    let (code, _, err) = sg(&f.index, &["count", "--chart", "x.svg", "missing"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn bad_queries_are_usage_errors_with_positions() {
    let f = fixture();
    for (q, needle) in [
        ("\"domestic violence", "unbalanced quote"),
        ("(missing OR runaway", "parenthesis"),
        ("chair:smith", "unknown field"),
        ("date:[2012-13 TO 2014]", "month"),
        ("ex*", "too short"),
        ("", "empty"),
        ("topic:nonsense", "unknown topic"),
    ] {
        // Every command that takes a query: nothing on stdout (not even a CSV header).
        for cmd in [&["search"][..], &["count"], &["mentions"], &["mentions", "--format", "jsonl"]] {
            let (code, out, err) = sg(&f.index, &[cmd, &[q]].concat());
            assert_eq!(code, 2, "{cmd:?} {q:?}: {err}");
            assert!(out.is_empty(), "{cmd:?} {q:?} wrote {out:?}");
            assert!(err.to_lowercase().contains(needle), "{cmd:?} {q:?}: {err}");
            if !q.is_empty() {
                assert!(err.contains('^'), "{q:?} should point at the position: {err}");
            }
        }
    }
    let (code, _, err) = sg(&f.index, &["search", "--from", "2012-13", "missing"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = sg(&f.index, &["count", "--topic", "nope", "missing"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("domestic_abuse"), "the known topics are listed: {err}");
}

#[test]
fn batch_answers_every_line_in_order() {
    let f = fixture();
    let mut input = String::new();
    for i in 0..1000 {
        match i % 5 {
            0 => input.push_str("missing children\n"),
            1 => input.push_str("\"unbalanced\n"),
            2 => input.push_str(&format!("{{\"id\": \"q{i}\", \"query\": \"county lines\", \"limit\": 1}}\n")),
            3 => input.push_str("{\"query\": \"fostering\", \"committee\": \"board\", \"sort\": \"date\"}\n"),
            _ => input.push_str("{not json\n"),
        }
    }
    let path = f.index.parent().unwrap().join("queries.txt");
    std::fs::write(&path, &input).unwrap();
    for mode in ["search", "count", "mentions"] {
        let (code, out, err) = sg(&f.index, &["batch", "--mode", mode, path.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 1000, "{mode}");
        for (i, v) in lines.iter().enumerate() {
            match i % 5 {
                0 | 3 => assert!(v.get("error").is_none(), "{mode} line {}: {v}", i + 1),
                1 => assert!(v["error"].as_str().unwrap().contains("unbalanced") && v["position"] == 0, "{v}"),
                2 => assert_eq!(v["id"], format!("q{i}")),
                _ => assert!(v.get("error").is_some(), "{v}"),
            }
            if i % 5 != 2 {
                assert_eq!(v["id"], i + 1, "{mode}: out of order");
            }
        }
        if mode == "search" {
            assert_eq!(lines[0]["total"], 3);
            assert_eq!(lines[2]["hits"].as_array().unwrap().len(), 1);
        }
        if mode == "count" {
            let single = json(&f.index, &["count", "--format", "json", "missing children"]);
            assert_eq!(lines[0]["items"], single["items"]);
            assert_eq!(lines[0]["mentions"], single["mentions"]);
        }
    }
}

#[test]
fn the_same_query_gives_the_same_bytes() {
    let f = fixture();
    for args in [
        vec!["search", "missing OR county"],
        vec!["search", "--format", "csv", "missing"],
        vec!["mentions", "missing OR exploit*"],
        vec!["count", "--by", "committee", "missing"],
        vec!["committees"],
        vec!["topics", "--format", "json"],
        vec!["export"],
    ] {
        let a = sg(&f.index, &args);
        let b = sg(&f.index, &args);
        assert_eq!(a.0, 0, "{args:?}: {}", a.2);
        assert_eq!(a.1, b.1, "{args:?}");
    }
    let strip = |mut v: Value| {
        v["took_ms"] = Value::Null;
        v
    };
    let a = strip(json(&f.index, &["search", "--format", "json", "missing"]));
    let b = strip(json(&f.index, &["search", "--format", "json", "missing"]));
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
}

#[test]
fn listings_and_export() {
    let f = fixture();
    let committees = json(&f.index, &["committees", "--format", "json"]);
    let rows = committees.as_array().unwrap();
    let panel = rows.iter().find(|r| r["committee_key"] == "childrens scrutiny panel").unwrap();
    assert_eq!(panel["items"], 2);
    assert_eq!(panel["first_date"], "2017-02-02");
    assert_eq!(panel["last_date"], "2019-05-09");
    assert_eq!(panel["council"], "Eastmoor");

    let topics = json(&f.index, &["topics", "--format", "json"]);
    assert_eq!(topics.as_array().unwrap().len(), 27);
    let fostering = topics.as_array().unwrap().iter().find(|t| t["key"] == "fostering").unwrap();
    assert!(fostering["items"].as_u64().unwrap() >= 1);

    let info = json(&f.index, &["info", "--format", "json"]);
    let (code, out, err) = sg(&f.index, &["export"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len() as u64, info["chunks"].as_u64().unwrap());
    let yaml = include_str!("../index-schema/quickwit.yaml");
    for line in &lines {
        for key in line.as_object().unwrap().keys() {
            assert!(yaml.contains(&format!("- name: {key}\n")), "{key} is not in quickwit.yaml");
        }
        assert!(line["text"].is_string() && line["text_stemmed"].is_string() && line["chunk_id"].is_string());
    }
    let a = lines.iter().find(|l| l["item_number"] == "41").unwrap();
    assert_eq!(a["meeting_date"], "2016-03-14T00:00:00Z");
    assert_eq!(a["year"], 2016);
    assert_eq!(a["committee_key"], "cabinet");
    assert!(a["text_stemmed"].as_str().unwrap().contains("interview"), "stems, not words");
}
