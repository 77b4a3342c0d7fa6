//! Corpus-level tests. Properties checked:
//!
//! 1. The same config writes byte-identical folders; another seed writes different pages.
//! 2. Page bytes land within ±2 % of the target.
//! 3. A 2 MB corpus holds every layout, both formats, Windows-1252 pages, sidecars and
//!    manifests, and page sizes stay within ~0.5–55 KB.
//! 4. `phrase_counts` equal an independent recount of each written page's visible text
//!    (decoded, HTML chrome stripped), and case-sensitive acronym counts equal them too.
//! 5. Every long date written has the right weekday and is a real date; stated meeting
//!    dates, committees and item numbers occur in the text.
//! 6. Windows-1252 pages are not UTF-8 and decode to the text that was generated.
//! 7. Manifests and sidecars agree with planted.jsonl; `url` is known exactly where they are.
//! 8. Config, folder and size-string errors say what is wrong.

use super::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

fn cfg(seed: u64, bytes: u64) -> GenConfig {
    GenConfig { seed, target_bytes: bytes, ..GenConfig::default() }
}

/// Every file under `dir`, relative path -> bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn planted(dir: &Path) -> Vec<Value> {
    fs::read_to_string(dir.join("planted.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// A 2 MB corpus shared by several tests (generated once per test binary run).
fn corpus_2mb() -> &'static (tempfile::TempDir, GenSummary) {
    static C: std::sync::OnceLock<(tempfile::TempDir, GenSummary)> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let s = generate(&cfg(42, 2_000_000), dir.path()).unwrap();
        (dir, s)
    })
}

// ------------------------------------------------------------------ independent readers

/// Windows-1252 decoding written separately from `cp1252.rs`, for the characters we use.
fn decode_1252(b: &[u8]) -> String {
    b.iter()
        .map(|&x| match x {
            0x91 => '‘',
            0x92 => '’',
            0x93 => '“',
            0x94 => '”',
            0x95 => '•',
            0x96 => '–',
            0x97 => '—',
            0x80..=0x9f => panic!("unexpected byte {x:#x}"),
            _ => x as char,
        })
        .collect()
}

/// Visible text of one of our HTML pages: the inside of div#mgContent, tags replaced by
/// newlines, entities decoded.
fn visible_html(html: &str) -> String {
    let start = html.find("<div id=\"mgContent\">").expect("content div") + 20;
    let end = html.rfind("</div>\n<footer").expect("content end");
    let inner = &html[start..end];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push('\n');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    for (e, c) in [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&rsquo;", "’"),
        ("&lsquo;", "‘"),
        ("&ldquo;", "“"),
        ("&rdquo;", "”"),
        ("&ndash;", "–"),
        ("&mdash;", "—"),
        ("&pound;", "£"),
        ("&nbsp;", "\u{a0}"),
        ("&amp;", "&"),
    ] {
        text = text.replace(e, c);
    }
    text
}

fn visible_text(rec: &Value, bytes: &[u8]) -> String {
    let decoded =
        if rec["encoding"] == "windows-1252" { decode_1252(bytes) } else { String::from_utf8(bytes.to_vec()).unwrap() };
    if rec["format"] == "html" {
        visible_html(&decoded)
    } else {
        decoded
    }
}

/// Case-insensitive whole-token occurrences (or case-sensitive when `exact_case`).
fn recount(text: &str, phrase: &str, exact_case: bool) -> u32 {
    let norm = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| if exact_case { t.to_string() } else { t.to_lowercase() })
            .collect()
    };
    let hay = norm(text);
    let needle = norm(phrase);
    hay.windows(needle.len()).filter(|w| *w == needle.as_slice()).count() as u32
}

// ------------------------------------------------------------------ 1, 2: determinism, size

#[test]
fn same_config_same_bytes_other_seed_other_pages() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let sa = generate(&cfg(7, 600_000), a.path()).unwrap();
    let sb = generate(&cfg(7, 600_000), b.path()).unwrap();
    let sc = generate(&cfg(8, 600_000), c.path()).unwrap();
    assert_eq!(sa, sb);
    let (fa, fb, fc) = (snapshot(a.path()), snapshot(b.path()), snapshot(c.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(fb[k] == *v, "{k} differs between identical runs");
    }
    assert_ne!(fa["planted.jsonl"], fc["planted.jsonl"]);
    assert_ne!(sa.bytes, 0);
    assert!(sc.files > 10);
}

#[test]
fn page_bytes_land_within_two_percent() {
    for (seed, target) in [(1, 150_000u64), (2, 400_000), (3, 1_300_000)] {
        let d = tempfile::tempdir().unwrap();
        let s = generate(&cfg(seed, target), d.path()).unwrap();
        let on_disk: u64 = planted(d.path()).iter().map(|r| r["bytes"].as_u64().unwrap()).sum();
        let files: u64 = planted(d.path())
            .iter()
            .map(|r| fs::metadata(d.path().join(r["file"].as_str().unwrap())).unwrap().len())
            .sum();
        assert_eq!(on_disk, s.bytes);
        assert_eq!(files, s.bytes);
        let err = (s.bytes as f64 / target as f64 - 1.0).abs();
        assert!(err <= 0.02, "target {target}: wrote {} ({:.2}%)", s.bytes, err * 100.0);
    }
}

// ------------------------------------------------------------------ 3: variety

#[test]
fn two_megabytes_hold_every_layout_and_artefact() {
    let (dir, s) = corpus_2mb();
    let recs = planted(dir.path());
    assert_eq!(recs.len(), s.files);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in &recs {
        *seen.entry(r["layout"].as_str().unwrap()).or_default() += 1;
    }
    for l in Layout::ALL {
        assert!(seen.get(l.name()).copied().unwrap_or(0) >= 3, "layout {} rare: {seen:?}", l.name());
    }
    let count = |f: &dyn Fn(&Value) -> bool| recs.iter().filter(|r| f(r)).count();
    assert!(count(&|r| r["format"] == "html") > 20);
    assert!(count(&|r| r["encoding"] == "windows-1252") >= 1);
    assert!(count(&|r| r["sidecar"] == true) >= 1);
    assert!(count(&|r| r["in_manifest"] == true) > 10);
    assert!(count(&|r| r["council_in_text"] == false) > 10);
    assert!(count(&|r| r["meeting_date"].is_null()) > 5);
    for r in &recs {
        let b = r["bytes"].as_u64().unwrap();
        assert!((500..=55_000).contains(&b), "{} has {b} bytes", r["file"]);
    }
    let mean = s.bytes as f64 / s.files as f64;
    assert!((8_000.0..=16_000.0).contains(&mean), "mean page {mean}");
    // Different item numbering styles across councils.
    let numbers: Vec<&str> = recs
        .iter()
        .filter(|r| r["layout"] == "meeting")
        .flat_map(|r| r["items"].as_array().unwrap())
        .filter_map(|i| i["number"].as_str())
        .collect();
    assert!(numbers.iter().any(|n| n.contains('/')) || numbers.iter().any(|n| n.ends_with('a')));
    // Artefacts on some pages.
    let all: Vec<u8> = recs
        .iter()
        .filter(|r| r["encoding"] == "utf-8")
        .flat_map(|r| fs::read(dir.path().join(r["file"].as_str().unwrap())).unwrap())
        .collect();
    let all = String::from_utf8(all).unwrap();
    for needle in ["\u{a0}", "·  ", "• ", "’", "–", "£", "pdf icon PDF", "No. | Item |"] {
        assert!(all.contains(needle), "no {needle:?} anywhere");
    }
    let committees: Vec<&str> = recs.iter().filter_map(|r| r["committee"].as_str()).collect();
    for mark in ["&", "'", "’"] {
        assert!(committees.iter().any(|c| c.contains(mark)), "no committee with {mark:?}");
    }
}

// ------------------------------------------------------------------ 4: exact counts

#[test]
fn phrase_counts_equal_an_independent_recount() {
    let (dir, _) = corpus_2mb();
    let phrases = vocab::all_phrases();
    let mut total = 0;
    for r in planted(dir.path()) {
        let bytes = fs::read(dir.path().join(r["file"].as_str().unwrap())).unwrap();
        let text = visible_text(&r, &bytes);
        let got = r["phrase_counts"].as_object().unwrap();
        for (_, p) in &phrases {
            let want = recount(&text, p, false);
            let have = got.get(*p).and_then(Value::as_u64).unwrap_or(0) as u32;
            assert_eq!(have, want, "{p:?} in {}", r["file"]);
            total += want;
            if p.chars().all(|c| c.is_ascii_uppercase()) {
                assert_eq!(recount(&text, p, true), want, "acronym {p:?} case in {}", r["file"]);
            }
        }
        assert!(got.values().all(|v| v.as_u64().unwrap() > 0), "zero count kept");
    }
    assert!(total > 1000, "only {total} mentions in 2 MB");
}

#[test]
fn topical_items_mention_their_topics() {
    let (dir, _) = corpus_2mb();
    for r in planted(dir.path()) {
        let counts = r["phrase_counts"].as_object().unwrap();
        for it in r["items"].as_array().unwrap() {
            for key in it["topics"].as_array().unwrap() {
                let t = vocab::TOPICS.iter().find(|t| t.key == key).unwrap();
                let n: u64 =
                    t.phrases.iter().chain(t.acronyms).filter_map(|p| counts.get(*p).and_then(Value::as_u64)).sum();
                assert!(n >= 1, "{} planted {key} without a mention", r["file"]);
            }
        }
    }
}

// ------------------------------------------------------------------ 5: dates and statements

#[test]
fn written_dates_are_real_and_weekdays_right() {
    let (dir, _) = corpus_2mb();
    let months: Vec<String> = calendar::MONTHS.iter().map(|m| m.to_lowercase()).collect();
    let weekdays: Vec<String> = calendar::WEEKDAYS.iter().map(|m| m.to_lowercase()).collect();
    let mut checked = 0;
    for r in planted(dir.path()) {
        let bytes = fs::read(dir.path().join(r["file"].as_str().unwrap())).unwrap();
        let text = visible_text(&r, &bytes).to_lowercase();
        let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        for w in words.windows(4) {
            let Some(wd) = weekdays.iter().position(|d| d == w[0]) else {
                continue;
            };
            let day: u32 = match w[1].trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse() {
                Ok(d) => d,
                Err(_) => continue,
            };
            let Some(month) = months.iter().position(|m| m == w[2]) else {
                continue;
            };
            let Ok(year) = w[3].parse::<i32>() else {
                continue;
            };
            let d = calendar::Date::new(year, month as u32 + 1, day).expect("real date");
            assert_eq!(d.weekday(), wd, "{:?} in {}", w, r["file"]);
            let suffix = &w[1][day.to_string().len()..];
            assert!(suffix.is_empty() || suffix == calendar::ordinal_suffix(day), "{w:?}");
            checked += 1;
        }
        let cased = visible_text(&r, &bytes);
        if r["sidecar"] == false {
            if let Some(c) = r["committee"].as_str() {
                assert!(cased.contains(c), "committee {c:?} not in {}", r["file"]);
            }
            if let Some(d) = r["meeting_date"].as_str() {
                let d = calendar::Date::new(d[..4].parse().unwrap(), d[5..7].parse().unwrap(), d[8..].parse().unwrap())
                    .unwrap();
                let forms = [
                    d.slash(),
                    d.dots2(),
                    d.plain(),
                    d.long(calendar::DateStyle::CommaOrdinal),
                    d.long(calendar::DateStyle::Plain),
                    d.long(calendar::DateStyle::Ordinal),
                ];
                assert!(forms.iter().any(|f| cased.contains(f.as_str())), "date {d:?} not in {}", r["file"]);
            }
        }
        for it in r["items"].as_array().unwrap() {
            if let Some(n) = it["number"].as_str() {
                assert!(cased.contains(n), "item {n} not in {}", r["file"]);
            }
            assert!(cased.contains(it["title"].as_str().unwrap()), "title not in {}", r["file"]);
        }
        assert!(d_in_range(r["meeting_date"].as_str()), "date out of range in {}", r["file"]);
    }
    assert!(checked > 60, "only {checked} long dates seen");
}

fn d_in_range(d: Option<&str>) -> bool {
    d.is_none_or(|d| (2005..=2025).contains(&d[..4].parse::<i32>().unwrap()))
}

// ------------------------------------------------------------------ 6: Windows-1252

#[test]
fn windows_1252_pages_decode_to_the_generated_text() {
    let gcfg = cfg(11, 1_000_000);
    let g = Gen {
        cfg: &gcfg,
        out: Path::new("unused"),
        world: World::new(11, 40, 15, 2005, 2025),
        layout_cum: cumulative(Layout::ALL.iter().map(|l| l.share())),
    };
    for (i, html) in (0..40).map(|i| (i, i % 2 == 0)) {
        let mut plan = normal_plan(&g, i);
        plan.cp1252 = true;
        plan.spec.html = html;
        let r = render_file(&g, i, plan);
        assert!(std::str::from_utf8(&r.bytes).is_err(), "file {i} is valid UTF-8");
        assert_eq!(r.record.encoding, "windows-1252");
        assert_eq!(decode_1252(&r.bytes), r.content);
        assert_eq!(cp1252::decode(&r.bytes), r.content);
        if html {
            assert!(r.content.contains("charset=\"windows-1252\""));
        }
    }
}

// ------------------------------------------------------------------ 7: metadata files

#[test]
fn manifests_and_sidecars_agree_with_planted() {
    let (dir, _) = corpus_2mb();
    let recs = planted(dir.path());
    let by_file: HashMap<String, &Value> = recs.iter().map(|r| (r["file"].as_str().unwrap().to_string(), r)).collect();
    let mut manifest_rows = 0;
    for e in fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        let m = p.join("manifest.tsv");
        if !m.exists() {
            continue;
        }
        let text = fs::read_to_string(&m).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("file\tcouncil\turl\tlabel_note"));
        for l in lines {
            let cols: Vec<&str> = l.split('\t').collect();
            let slug = p.file_name().unwrap().to_string_lossy();
            let r = by_file[&format!("{slug}/{}", cols[0])];
            assert_eq!(r["council"], cols[1]);
            assert_eq!(r["url"], cols[2]);
            assert!(!cols[3].contains(r["council"].as_str().unwrap()), "decoy names the truth");
            manifest_rows += 1;
        }
    }
    assert_eq!(manifest_rows, recs.iter().filter(|r| r["in_manifest"] == true).count());
    for r in &recs {
        let sc = dir.path().join(format!("{}.meta.json", r["file"].as_str().unwrap()));
        assert_eq!(sc.exists(), r["sidecar"] == true);
        if sc.exists() {
            let v: Value = serde_json::from_str(&fs::read_to_string(&sc).unwrap()).unwrap();
            assert_eq!(v["council"], r["council"]);
            assert_eq!(v["committee"], r["committee"]);
            assert_eq!(v["date"], r["meeting_date"]);
            assert_eq!(v["url"], r["url"]);
        }
        assert_eq!(r["url"].is_string(), r["sidecar"] == true || r["in_manifest"] == true);
        // The folder name title-cases back to the council.
        let slug = r["council_slug"].as_str().unwrap();
        let back: Vec<String> = slug.split('-').map(vocab::capitalise).collect();
        assert_eq!(back.join(" "), r["council"].as_str().unwrap());
        assert!(r["file"].as_str().unwrap().starts_with(&format!("{slug}/")));
    }
    let readme = fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert!(readme.contains("seed=42") && readme.contains("target_bytes=2000000"));
}

// ------------------------------------------------------------------ 8: errors

#[test]
fn parse_size_accepts_units_and_rejects_junk() {
    assert_eq!(parse_size("200MB"), Ok(200_000_000));
    assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
    assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
    assert_eq!(parse_size("512KB"), Ok(512_000));
    assert_eq!(parse_size("123"), Ok(123));
    assert_eq!(parse_size("64 mib"), Ok(64 * 1024 * 1024));
    for bad in ["abc", "-5MB", "", "5XB", "0", "1..5GB", ".5MB", "MB"] {
        let e = parse_size(bad).unwrap_err();
        assert!(e.contains("200MB") && e.contains(&format!("{bad:?}")), "{bad}: {e}");
    }
}

#[test]
fn errors_name_the_problem_and_the_path() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("x"), "x").unwrap();
    let e = generate(&cfg(1, 10_000), d.path()).unwrap_err();
    assert!(matches!(e, GenError::NotEmpty(_)));
    assert!(e.to_string().contains(&d.path().display().to_string()));

    let file = d.path().join("x");
    let e = generate(&cfg(1, 10_000), &file).unwrap_err();
    assert!(matches!(e, GenError::Dir { .. }), "{e}");
    assert!(e.to_string().contains(&file.display().to_string()));

    let e = generate(&GenConfig { html_share: 1.5, ..GenConfig::default() }, &d.path().join("new")).unwrap_err();
    assert!(e.to_string().contains("html_share"));
    let e = generate(&GenConfig { first_year: 2020, last_year: 2010, ..GenConfig::default() }, &d.path().join("new"))
        .unwrap_err();
    assert!(e.to_string().contains("first_year"));
}
