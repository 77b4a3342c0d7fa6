//! The binary driven as a user would: temp folders, `sgsearch index`, `parse`,
//! `search`, `info`; stdout, stderr and exit codes checked. Properties:
//! 1. re-indexing the same folder indexes 0 files; touching a file re-reads but
//!    does not re-index it; changing one file re-indexes exactly that one and the
//!    item count is unchanged; `--prune` after deleting a file removes its items;
//! 2. bad files (binary, empty, Windows-1252, 50 MB, unknown extension, broken
//!    link) are indexed or skipped with a reason, the run exits 0 (1 with --strict);
//! 3. metadata precedence: sidecar > folder manifest > the text > folder name;
//! 4. exit codes: 3 for a missing or locked index, 2 for bad usage.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sgsearch"));
    c.env_remove("SGSEARCH_INDEX").env("NO_COLOR", "1");
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], index: &Path) -> Run {
    let out: Output = bin().arg("--index").arg(index).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn index_json(dir: &Path, index: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["index", "--format", "json"];
    args.extend_from_slice(extra);
    let d = dir.to_str().unwrap();
    args.push(d);
    let r = run(&args, index);
    assert_eq!(r.code, 0, "index failed: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("bad summary {e}: {}", r.stdout))
}

/// A ModernGov-style issue page in our own words.
fn issue_page(title: &str, committee: &str, date: &str, item: u32, body: &str) -> String {
    format!(
        "Issue - meetings\n\n{title}\n\nMeeting: {date} - {committee} (Item {item})\n\n{item} {title} pdf icon PDF 120 KB\n\nMinutes:\n\n{body}\n"
    )
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn fixture(dir: &Path) {
    write(
        &dir.join("eastmoor/runaways.txt"),
        issue_page(
            "Runaway teenagers",
            "Cabinet",
            "14/03/2016",
            41,
            "The Cabinet heard that return home interviews reached most young runaways this year.",
        ),
    );
    write(
        &dir.join("eastmoor/hub.txt"),
        issue_page(
            "Front door review",
            "Children's Scrutiny Panel",
            "02/02/2017",
            7,
            "Members asked how the multi-agency safeguarding hub triaged contacts from schools.",
        ),
    );
    write(
        &dir.join("westfold/fostering.txt"),
        "Agenda and minutes\n\nCorporate Parenting Board - Monday, 5th June, 2017 4.00 pm\n\nVenue: Guild Hall\n\nNo. Item\n\n1.\n\nApologies\n\nNone were received.\n\n2.\n\nFoster carer recruitment\n\nThe board discussed fostering allowances and a campaign for new foster carers.\n",
    );
}

fn search_total(index: &Path, query: &str) -> u64 {
    let r = run(&["search", "--format", "json", query], index);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["total"].as_u64().unwrap()
}

#[test]
fn incremental_indexing_reindex_change_and_prune() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = (tmp.path().join("docs"), tmp.path().join("ix"));
    fixture(&docs);

    let first = index_json(&docs, &index, &[]);
    assert_eq!(first["files_seen"], 3);
    assert_eq!(first["files_indexed"], 3);
    assert_eq!(first["items"], 4);
    assert_eq!(search_total(&index, "runaways"), 1);

    let again = index_json(&docs, &index, &[]);
    assert_eq!(again["files_indexed"], 0);
    assert_eq!(again["files_unchanged"], 3);
    assert_eq!(again["items"], 4);

    // Same bytes, new mtime: read and hashed, not re-indexed.
    let hub = docs.join("eastmoor/hub.txt");
    let bytes = std::fs::read(&hub).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(&hub, &bytes);
    let touched = index_json(&docs, &index, &[]);
    assert_eq!(touched["files_indexed"], 0);
    assert_eq!(touched["files_unchanged"], 3);

    // Changed content: exactly that file is re-indexed; the old text is gone.
    write(
        &hub,
        issue_page(
            "Front door review",
            "Children's Scrutiny Panel",
            "02/02/2017",
            7,
            "Members asked how referrals from health visitors were screened.",
        ),
    );
    let changed = index_json(&docs, &index, &[]);
    assert_eq!(changed["files_indexed"], 1);
    assert_eq!(changed["files_unchanged"], 2);
    assert_eq!(changed["items"], 4);
    assert_eq!(search_total(&index, "triaged"), 0);
    assert_eq!(search_total(&index, "visitors"), 1);

    // A new sidecar changes the metadata, not the file: the file is re-indexed.
    write(&docs.join("eastmoor/hub.txt.meta.json"), r#"{"committee": "Front Door Board"}"#);
    let meta = index_json(&docs, &index, &[]);
    assert_eq!(meta["files_indexed"], 1);
    let r = run(&["search", "--format", "json", "visitors"], &index);
    assert!(r.stdout.contains("Front Door Board"), "{}", r.stdout);

    // Deleted: kept until --prune, then its items go.
    std::fs::remove_file(docs.join("eastmoor/runaways.txt")).unwrap();
    let kept = index_json(&docs, &index, &[]);
    assert_eq!(kept["files_vanished"], 1);
    assert_eq!(kept["items"], 4);
    assert_eq!(search_total(&index, "runaways"), 1);
    let pruned = index_json(&docs, &index, &["--prune"]);
    assert_eq!(pruned["files_pruned"], 1);
    assert_eq!(pruned["items"], 3);
    assert_eq!(search_total(&index, "runaways"), 0);

    let info = run(&["info", "--format", "json"], &index);
    assert_eq!(info.code, 0, "{}", info.stderr);
    let info: Value = serde_json::from_str(&info.stdout).unwrap();
    assert_eq!(info["sources"], 2);
    assert_eq!(info["items"], 3);
    assert_eq!(info["first_date"], "2017-02-02");
    assert_eq!(info["last_date"], "2017-06-05");
    assert_eq!(info["committees"], 2, "Front Door Board and Corporate Parenting Board");
}

#[test]
fn bad_files_are_skipped_with_reasons_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = (tmp.path().join("docs"), tmp.path().join("ix"));
    fixture(&docs);
    write(&docs.join("bad/binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 7, 8]);
    write(&docs.join("bad/empty.txt"), "");
    write(&docs.join("bad/notes.pdf"), "%PDF-1.4 not yet supported");
    // Windows-1252: 0x92 is ’, 0xA3 is £, 0xE9 is é.
    write(
        &docs.join("bad/legacy.txt"),
        b"Agenda item\n\nCaf\xe9 grants\n\nThe council\x92s budget of \xa320,000 for the caf\xe9 was agreed.\n"
            .as_slice(),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(docs.join("bad/nowhere.txt"), docs.join("bad/broken.txt")).unwrap();
    let big: String = "The panel reviewed placement stability for children in care across the county. ".repeat(650_000);
    assert!(big.len() > 50_000_000);
    write(&docs.join("big/huge.txt"), &big);

    let s = index_json(&docs, &index, &[]);
    let skipped: Vec<(String, String)> = s["files_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["reason"].as_str().unwrap().to_string()))
        .collect();
    let reason = |name: &str| skipped.iter().find(|(p, _)| p.ends_with(name)).map(|(_, r)| r.clone());
    assert!(reason("binary.txt").is_some_and(|r| r.contains("binary")), "{skipped:?}");
    assert!(reason("empty.txt").is_some_and(|r| r.contains("empty")), "{skipped:?}");
    assert!(reason("notes.pdf").is_some_and(|r| r.contains(".pdf")), "{skipped:?}");
    #[cfg(unix)]
    assert!(reason("broken.txt").is_some(), "{skipped:?}");
    assert_eq!(reason("legacy.txt"), None);
    assert_eq!(reason("huge.txt"), None);
    assert_eq!(s["files_indexed"], 5);
    // Nothing lost from the Windows-1252 page, and the huge page is searchable.
    assert_eq!(search_total(&index, "café"), 1);
    assert_eq!(search_total(&index, "placement stability"), 1);

    let strict = run(&["index", "--strict", docs.to_str().unwrap()], &index);
    assert_eq!(strict.code, 1, "--strict must fail when files were skipped: {}", strict.stderr);
    assert!(strict.stderr.contains("skipped"), "{}", strict.stderr);
}

#[test]
fn metadata_precedence_sidecar_manifest_text_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = (tmp.path().join("docs"), tmp.path().join("ix"));
    let page =
        |c: &str| issue_page("Neglect strategy", c, "10/10/2019", 5, "The strategy for tackling neglect was endorsed.");
    write(&docs.join("northvale/a.txt"), page("Cabinet"));
    write(&docs.join("northvale/b.txt"), page("Cabinet"));
    write(&docs.join("northvale/c.txt"), page("Cabinet"));
    write(&docs.join("northvale/manifest.tsv"), "id\tcouncil\tcommittee\turl\tlabel_committee\nb\tNorthvale Borough\tExecutive\thttps://example.org/b\tIGNORED\nc\tNorthvale Borough\t\t\t\n");
    write(
        &docs.join("northvale/a.txt.meta.json"),
        r#"{"council": "Sidecar Council", "committee": "Sidecar Panel", "date": "2019-11-30", "url": "https://example.org/a"}"#,
    );

    let r = run(&["parse", docs.to_str().unwrap()], &index);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let items: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let by = |name: &str| items.iter().find(|i| i["source"].as_str().unwrap().ends_with(name)).unwrap().clone();
    let (a, b, c) = (by("a.txt"), by("b.txt"), by("c.txt"));
    assert_eq!((a["council"].as_str(), a["committee"].as_str()), (Some("Sidecar Council"), Some("Sidecar Panel")));
    assert_eq!(a["meeting_date"], "2019-11-30");
    assert_eq!(a["url"], "https://example.org/a");
    assert_eq!((b["council"].as_str(), b["committee"].as_str()), (Some("Northvale Borough"), Some("Executive")));
    assert_eq!(b["meeting_date"], "2019-10-10");
    assert_eq!((c["council"].as_str(), c["committee"].as_str()), (Some("Northvale Borough"), Some("Cabinet")));
    assert_eq!(c["url"], Value::Null);

    std::fs::remove_file(docs.join("northvale/manifest.tsv")).unwrap();
    let r = run(&["parse", docs.join("northvale/c.txt").to_str().unwrap()], &index);
    let c: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(c["council"], "Northvale", "folder name is the last resort");
}

#[test]
fn exit_codes_for_missing_locked_index_and_bad_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = (tmp.path().join("docs"), tmp.path().join("ix"));
    fixture(&docs);

    let missing = run(&["search", "fostering"], &tmp.path().join("nothing-here"));
    assert_eq!(missing.code, 3);
    assert!(missing.stderr.contains("no sgsearch index"), "{}", missing.stderr);
    let info = run(&["info"], &tmp.path().join("nothing-here"));
    assert_eq!(info.code, 3);

    index_json(&docs, &index, &[]);
    let bad_format = run(&["info", "--format", "csv"], &index);
    assert_eq!(bad_format.code, 2);
    assert!(bad_format.stderr.contains("--format csv"), "{}", bad_format.stderr);
    let no_paths = run(&["index"], &index);
    assert_eq!(no_paths.code, 2);
    let tiny = run(&["index", "--memory-mb", "1", docs.to_str().unwrap()], &index);
    assert_eq!(tiny.code, 2, "{}", tiny.stderr);

    // A second writer gets exit code 3 and the index stays usable.
    let opened = sgsearch::index::open(&index).unwrap();
    let writer: tantivy::IndexWriter = opened.index.writer(50_000_000).unwrap();
    let locked = run(&["index", docs.to_str().unwrap()], &index);
    assert_eq!(locked.code, 3, "{}", locked.stderr);
    assert!(locked.stderr.contains("another sgsearch process"), "{}", locked.stderr);
    drop(writer);
    assert_eq!(search_total(&index, "fostering"), 1);
}

#[test]
fn parse_shows_items_and_fails_on_unreadable_input() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    fixture(&docs);
    let r = run(&["parse", docs.join("westfold/fostering.txt").to_str().unwrap()], &tmp.path().join("ix"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let items: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["item_number"], "2");
    assert_eq!(items[1]["item_title"], "Foster carer recruitment");
    assert_eq!(items[1]["committee"], "Corporate Parenting Board");
    assert_eq!(items[1]["meeting_date"], "2017-06-05");
    assert_eq!(items[1]["page_type"], "Agenda and minutes");
    assert!(items[1]["topics"].as_array().unwrap().iter().any(|t| t["key"] == "fostering"), "{}", items[1]);

    let empty: PathBuf = docs.join("empty.txt");
    write(&empty, "");
    let r = run(&["parse", empty.to_str().unwrap()], &tmp.path().join("ix"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
}

/// Many small commits leave many segments; the end of the run merges the
/// smallest down to eight, deletes the merged-away files, and the index answers
/// exactly as one built in a single commit.
#[test]
fn small_batches_merge_down_and_leave_no_stale_files() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let gen = bin().args(["gen-corpus", "--size", "6MB", "--seed", "9", "--out"]).arg(&corpus).output().unwrap();
    assert!(gen.status.success(), "{}", String::from_utf8_lossy(&gen.stderr));

    let many = tmp.path().join("many");
    let one = tmp.path().join("one");
    let a = index_json(&corpus, &many, &["--batch-mb", "1"]);
    let b = index_json(&corpus, &one, &[]);
    assert_eq!(a["items"], b["items"]);
    assert_eq!(a["chunks"], b["chunks"]);

    let meta: Value = serde_json::from_str(&std::fs::read_to_string(many.join("meta.json")).unwrap()).unwrap();
    let live: Vec<String> = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    assert!((2..=8).contains(&live.len()), "{} segments", live.len());
    for entry in std::fs::read_dir(&many).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = name.split('.').next().unwrap_or("");
        if stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) {
            assert!(live.iter().any(|l| l == stem), "{name} belongs to no live segment");
        }
    }
    for q in ["children", "\"missing from home\"", "neglect OR adoption"] {
        assert_eq!(search_total(&many, q), search_total(&one, q), "{q}");
    }
}
