//! Deterministic synthetic corpus of council children's-safeguarding pages.
//!
//! Feeds `sgsearch demo`, the tests and the benchmarks. [`generate`] writes, under `out/`:
//!
//! * `<council-slug>/<page>.txt|.html`: pages in seven layouts ([`layouts::Layout`]) of
//!   ~1–50 KB, until `target_bytes` of page bytes are written (±2 %, targets ≥ 100 KB);
//! * `<council-slug>/manifest.tsv` in some folders (`file`, `council`, `url`, and a decoy
//!   `label_note` a reader must ignore) and a few `<page>.meta.json` sidecars;
//! * `planted.jsonl`: the ground truth, one line per page in file order (see [`Planted`]);
//! * `README.md`: what the folder is and the config that made it (not `.txt`, which
//!   would be indexed as a page).
//!
//! Same config, same bytes: each file draws from its own generator seeded by
//! (seed, file index), files are built in parallel and written independently, and every
//! size decision depends only on earlier files. Councils, people and text are invented.
//!
//! Walk: [`world`] (councils, committees, meeting dates) → [`meeting`] (items of a meeting,
//! same on every page that shows them) → [`layouts`] (page blocks + what the page states) →
//! [`page`] / [`html`] (renderings) → [`count`] (phrase counts) → files.

pub mod calendar;
pub mod count;
pub mod cp1252;
pub mod html;
pub mod layouts;
pub mod meeting;
pub mod page;
pub mod rng;
pub mod text;
pub mod vocab;
pub mod world;

#[cfg(test)]
mod tests;

use layouts::{Built, Layout, Spec};
use rayon::prelude::*;
use rng::{cumulative, Rng};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use world::World;

#[derive(Debug, Clone)]
pub struct GenConfig {
    pub seed: u64,
    /// Page bytes to write (sidecars, manifests, planted.jsonl and README not counted).
    pub target_bytes: u64,
    pub councils: usize,
    pub committees_per_council: usize,
    /// Share of pages written as HTML.
    pub html_share: f64,
    pub first_year: i32,
    pub last_year: i32,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            seed: 42,
            target_bytes: 5_000_000,
            councils: 40,
            committees_per_council: 15,
            html_share: 0.3,
            first_year: 2005,
            last_year: 2025,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenSummary {
    /// Page files written.
    pub files: usize,
    /// Bytes of page files.
    pub bytes: u64,
    /// Planted items over all pages.
    pub items: usize,
    /// Council folders that received pages.
    pub councils: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// A setting is out of range.
    #[error("invalid generator config: {0}")]
    Config(String),
    /// The output folder already holds files.
    #[error("output folder {} is not empty\n\nchoose a new or empty folder", .0.display())]
    NotEmpty(PathBuf),
    /// Creating or reading a folder failed.
    #[error("cannot create folder {}: {source}", path.display())]
    Dir { path: PathBuf, source: std::io::Error },
    /// Writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
}

/// One line of planted.jsonl: what a correct reader should report for a page.
///
/// * `council` is the council's display name; the folder is its slug, and title-casing the
///   slug (`-` → space) gives the name back. Manifests and sidecars carry the same name.
/// * `committee` / `meeting_date` are what the page states (or its sidecar, which wins);
///   `null` when neither does. Committee strings are exactly as written, curly apostrophes
///   included. Dates are ISO.
/// * `page_type` is the page-type heading kept literally ("Agenda and minutes", "Agenda
///   item", "Issue - meetings", "Decision details", "Meeting documents"…), else `other`
///   (table pages and reports), as in the corpus label conventions.
/// * `url` only when a manifest or sidecar gives one (pages never state their own URL).
/// * `items[].number` is the item number as printed ("35", "33/17", "16.CSE1", "51a"), or
///   `null` where the page shows none (table pages, numbers-dropped councils, decision pages,
///   report sections). Report sections are items titled by their heading line as printed.
///   `topics` are the keys the generator planted in that item.
/// * `phrase_counts`: for every phrase of [`vocab::all_phrases`] (topic phrases and acronyms,
///   keyed as listed there), the number of case-insensitive whole-token occurrences in the
///   page's visible text, by the rule in [`count`]: tokens are maximal runs of alphanumeric
///   characters, compared lower-cased; nested and overlapping occurrences all count. For
///   HTML the visible text is the content of `div#mgContent` (chrome carries no phrase);
///   Windows-1252 pages are counted on their decoded text. Zero counts are omitted. The
///   generator never writes an acronym's lower-case form ("send", "prevent"), so
///   case-sensitive acronym counts are equal.
#[derive(Debug, Serialize)]
pub struct Planted {
    pub file: String,
    pub council: String,
    pub council_slug: String,
    pub committee: Option<String>,
    pub meeting_date: Option<String>,
    pub page_type: String,
    /// Generator layout: meeting, meeting_table, agenda_item, issue, decision, board_report,
    /// legacy.
    pub layout: &'static str,
    /// `txt` or `html`.
    pub format: &'static str,
    /// `utf-8` or `windows-1252`.
    pub encoding: &'static str,
    pub url: Option<String>,
    /// The council's name occurs in the visible text.
    pub council_in_text: bool,
    pub sidecar: bool,
    pub in_manifest: bool,
    pub bytes: u64,
    pub items: Vec<PlantedItemJson>,
    pub phrase_counts: BTreeMap<String, u32>,
}

#[derive(Debug, Serialize)]
pub struct PlantedItemJson {
    pub number: Option<String>,
    pub title: String,
    pub topics: Vec<&'static str>,
}

#[derive(Serialize)]
struct Sidecar<'a> {
    council: &'a str,
    committee: Option<&'a str>,
    date: Option<String>,
    url: &'a str,
}

/// Parse a size like "200MB", "1GB", "1.5GB", "512KB", "64MiB" or "5000000" (bytes).
/// KB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024; case and a space before the
/// unit are ignored.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let help = || {
        format!(
            "invalid size {s:?}: expected a positive number of bytes with an optional unit, \
             e.g. 5000000, 512KB, 200MB, 1.5GB (KB/MB/GB = 1000^n, KiB/MiB/GiB = 1024^n)"
        )
    };
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return Err(help());
    }
    let value: f64 = num.parse().map_err(|_| help())?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(help()),
    };
    let bytes = (value * mult).round();
    if !(1.0..=1e15).contains(&bytes) {
        return Err(help());
    }
    Ok(bytes as u64)
}

/// Below this remaining size, pages are generated one by one with sizes chosen to land on
/// the target.
const FINAL_ZONE: u64 = 150_000;
/// The smallest page the final phase writes; a smaller remainder is left unwritten.
const MIN_FINAL: u64 = 1_500;
const BATCH_MAX: usize = 4096;
const SIDECAR_SHARE: f64 = 0.04;
const CP1252_SHARE: f64 = 0.03;

/// Shared, read-only state of one run.
struct Gen<'a> {
    cfg: &'a GenConfig,
    out: &'a Path,
    world: World,
    layout_cum: Vec<f64>,
}

/// What one file will be, decided before it is built.
struct FilePlan {
    spec: Spec,
    cp1252: bool,
    sidecar: bool,
}

/// What a built file reports back.
struct FileOut {
    council: usize,
    file_name: String,
    url: String,
    bytes: u64,
    items: usize,
    planted: String,
}

fn check(cfg: &GenConfig) -> Result<(), GenError> {
    let bad = |m: String| Err(GenError::Config(m));
    if cfg.target_bytes == 0 {
        return bad("target_bytes must be positive".into());
    }
    if !(1..=2000).contains(&cfg.councils) {
        return bad(format!("councils must be 1..=2000, got {}", cfg.councils));
    }
    if !(1..=200).contains(&cfg.committees_per_council) {
        return bad(format!("committees_per_council must be 1..=200, got {}", cfg.committees_per_council));
    }
    if !(0.0..=1.0).contains(&cfg.html_share) {
        return bad(format!("html_share must be within 0..=1, got {}", cfg.html_share));
    }
    if cfg.first_year > cfg.last_year || cfg.first_year < 1900 || cfg.last_year > 2100 {
        return bad(format!(
            "years must satisfy 1900 <= first_year <= last_year <= 2100, got {}..={}",
            cfg.first_year, cfg.last_year
        ));
    }
    Ok(())
}

/// Writes the corpus under `out` (created if missing; must be empty).
pub fn generate(cfg: &GenConfig, out: &Path) -> Result<GenSummary, GenError> {
    check(cfg)?;
    let dir_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GenError::Dir { path, source }
    };
    fs::create_dir_all(out).map_err(dir_err(out))?;
    if fs::read_dir(out).map_err(dir_err(out))?.next().is_some() {
        return Err(GenError::NotEmpty(out.to_path_buf()));
    }
    let g = Gen {
        cfg,
        out,
        world: World::new(cfg.seed, cfg.councils, cfg.committees_per_council, cfg.first_year, cfg.last_year),
        layout_cum: cumulative(Layout::ALL.iter().map(|l| l.share())),
    };
    for c in &g.world.councils {
        let p = out.join(&c.slug);
        fs::create_dir_all(&p).map_err(dir_err(&p))?;
    }
    let planted_path = out.join("planted.jsonl");
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GenError::Write { path, source }
    };
    let mut planted = BufWriter::new(fs::File::create(&planted_path).map_err(write_err(&planted_path))?);
    let mut manifests: Vec<Vec<(String, String)>> = vec![Vec::new(); g.world.councils.len()];
    let mut used = vec![false; g.world.councils.len()];
    let mut summary = GenSummary { files: 0, bytes: 0, items: 0, councils: 0 };
    let mut record = |o: FileOut, summary: &mut GenSummary| -> Result<(), GenError> {
        planted
            .write_all(o.planted.as_bytes())
            .and_then(|_| planted.write_all(b"\n"))
            .map_err(write_err(&planted_path))?;
        used[o.council] = true;
        if g.world.councils[o.council].manifest {
            manifests[o.council].push((o.file_name, o.url));
        }
        summary.files += 1;
        summary.bytes += o.bytes;
        summary.items += o.items;
        Ok(())
    };

    // Phase 1: parallel batches sized to stay safely under the target.
    let target = cfg.target_bytes;
    let mut next = 0usize;
    let mut mean = 12_000.0f64;
    loop {
        let aim = target.saturating_sub(summary.bytes).saturating_sub(FINAL_ZONE) as f64;
        let mut n = ((aim * 0.85 / mean) as usize).min(BATCH_MAX);
        // Keep a four-sigma margin for the spread of page sizes.
        while n > 0 && n as f64 * mean + 4.0 * (n as f64).sqrt() * 12_000.0 > aim {
            n = n * 3 / 4;
        }
        if n == 0 {
            break;
        }
        let outs: Vec<Result<FileOut, GenError>> =
            (next..next + n).into_par_iter().map(|i| make_file(&g, i, normal_plan(&g, i))).collect();
        for o in outs {
            record(o?, &mut summary)?;
        }
        next += n;
        mean = summary.bytes as f64 / summary.files as f64;
    }
    // Phase 2: one by one, each page sized to what remains.
    while target.saturating_sub(summary.bytes) >= MIN_FINAL {
        let remaining = target - summary.bytes;
        let planned = if remaining <= 50_000 {
            remaining
        } else {
            let want = Rng::derive(&[cfg.seed, 3, next as u64]).range(5_000, 25_000) as u64;
            if remaining - want < MIN_FINAL {
                remaining
            } else {
                want
            }
        };
        let o = make_file(&g, next, final_plan(&g, next, planned as usize))?;
        record(o, &mut summary)?;
        next += 1;
    }
    planted.flush().map_err(write_err(&planted_path))?;

    for (ci, (c, rows)) in g.world.councils.iter().zip(&manifests).enumerate() {
        if rows.is_empty() {
            continue;
        }
        let path = out.join(&c.slug).join("manifest.tsv");
        let mut s = String::from("file\tcouncil\turl\tlabel_note\n");
        for (k, (file, url)) in rows.iter().enumerate() {
            // The decoy names another council: a reader that trusts it gets it wrong.
            let n = g.world.councils.len();
            let decoy = if n > 1 {
                g.world.councils[(ci + 1 + k % (n - 1)) % n].name.as_str()
            } else {
                "a neighbouring council"
            };
            s.push_str(&format!("{file}\t{}\t{url}\tunchecked; possibly {decoy}\n", c.name));
        }
        fs::write(&path, s).map_err(write_err(&path))?;
    }
    summary.councils = used.iter().filter(|u| **u).count();
    let readme = out.join("README.md");
    fs::write(&readme, readme_text(cfg, &summary)).map_err(write_err(&readme))?;
    Ok(summary)
}

fn readme_text(cfg: &GenConfig, s: &GenSummary) -> String {
    format!(
        "Synthetic corpus written by the sgsearch generator (src/gen).\n\
         \n\
         Every council, person, place and sentence here is invented; the pages imitate the\n\
         layouts of council committee systems (meeting pages, agenda items, issues, decisions,\n\
         partnership reports, legacy meeting documents) for testing and benchmarking search.\n\
         \n\
         Layout: one folder per council (its name as a slug); .txt and .html pages; some folders\n\
         hold manifest.tsv (file, council, url; ignore label_note); some pages have a\n\
         <file>.meta.json sidecar. planted.jsonl holds the ground truth, one line per page:\n\
         council, committee, meeting_date, page_type, url, items (number, title, topics) and\n\
         exact phrase_counts (case-insensitive whole-token counts over the visible text).\n\
         \n\
         Config: seed={} target_bytes={} councils={} committees_per_council={} html_share={} \
         years={}..={}\n\
         Written: {} pages, {} bytes of pages, {} items, {} council folders.\n\
         The same config always produces byte-identical output.\n",
        cfg.seed,
        cfg.target_bytes,
        cfg.councils,
        cfg.committees_per_council,
        cfg.html_share,
        cfg.first_year,
        cfg.last_year,
        s.files,
        s.bytes,
        s.items,
        s.councils
    )
}

fn normal_plan(g: &Gen, i: usize) -> FilePlan {
    let mut rng = Rng::derive(&[g.cfg.seed, 1, i as u64]);
    let layout = Layout::ALL[rng.weighted(&g.layout_cum)];
    let council = rng.weighted(&g.world.council_cum);
    let target = match layout {
        Layout::Decision => rng.lognormal(4_500.0, 0.6).clamp(1_200.0, 30_000.0),
        Layout::BoardReport => rng.lognormal(17_000.0, 0.6).clamp(3_000.0, 44_000.0),
        Layout::Legacy => rng.lognormal(7_000.0, 0.6).clamp(2_000.0, 40_000.0),
        _ => 0.0,
    } as usize;
    let html = rng.chance(g.cfg.html_share);
    FilePlan {
        spec: Spec {
            layout,
            council,
            target,
            html,
            states_council: rng.chance(g.world.councils[council].states_council),
        },
        cp1252: rng.chance(CP1252_SHARE),
        sidecar: rng.chance(SIDECAR_SHARE),
    }
}

/// A page of about `planned` file bytes, to land on the target.
fn final_plan(g: &Gen, i: usize, planned: usize) -> FilePlan {
    let mut rng = Rng::derive(&[g.cfg.seed, 1, i as u64]);
    let council = rng.weighted(&g.world.council_cum);
    let layout = if planned >= 6_000 { Layout::BoardReport } else { Layout::Decision };
    let html = planned >= 9_000 && rng.chance(g.cfg.html_share);
    let name = &g.world.councils[council].name;
    let chrome = if html {
        html::chrome_len(&html::Chrome {
            council: name,
            label: layout.chrome_label(),
            charset: "utf-8",
            year: 2000,
            entities: false,
        }) + 300 // tags around the content blocks
    } else {
        0
    };
    FilePlan {
        spec: Spec {
            layout,
            council,
            target: planned.saturating_sub(chrome + 150).max(500),
            html,
            states_council: rng.chance(g.world.councils[council].states_council),
        },
        cp1252: false,
        sidecar: rng.chance(SIDECAR_SHARE),
    }
}

/// A file rendered in memory, before it is written.
struct Rendered {
    council: usize,
    file_name: String,
    url: String,
    bytes: Vec<u8>,
    /// The document as characters (HTML source for HTML pages), before encoding.
    #[cfg_attr(not(test), allow(dead_code))]
    content: String,
    /// The sidecar JSON, when the page has one.
    sidecar: Option<String>,
    record: Planted,
}

fn render_file(g: &Gen, i: usize, plan: FilePlan) -> Rendered {
    let FilePlan { spec, cp1252, sidecar } = plan;
    let c = &g.world.councils[spec.council];
    let mut rng = Rng::derive(&[g.cfg.seed, 2, i as u64]);
    let Built { mut page, mut committee, meeting_date, page_type, url, mut items, year, mut true_committee, true_date } =
        layouts::build(&g.world, &spec, &mut rng);
    // Windows-1252 pages are old Word exports: always typographic apostrophes.
    if c.curly || cp1252 {
        page.curl_apostrophes();
        let fix = |s: &mut String| *s = s.replace('\'', "’");
        committee.iter_mut().for_each(fix);
        true_committee.iter_mut().for_each(fix);
        items.iter_mut().for_each(|it| fix(&mut it.title));
    }
    let mut text = page.render_text();
    if cp1252 && text.is_ascii() {
        // Make sure the legacy encoding shows in the bytes.
        page.line("Figures are shown in £ thousands.");
        text = page.render_text();
    }
    let phrase_counts = count::PhraseCounter::global().count_map(&text);
    let council_in_text = text.contains(&c.name);

    let charset = if cp1252 { "windows-1252" } else { "utf-8" };
    let content = if spec.html {
        html::render(
            &page,
            &html::Chrome {
                council: &c.name,
                label: spec.layout.chrome_label(),
                charset,
                year,
                // Entities would leave a Windows-1252 page pure ASCII.
                entities: !cp1252 && rng.chance(0.4),
            },
        )
    } else {
        text
    };
    // Only characters of the Windows-1252 set are ever generated; fall back to UTF-8 rather
    // than lose text if that ever changes.
    let encoded = if cp1252 { cp1252::encode(&content) } else { None };
    let encoding = if encoded.is_some() { "windows-1252" } else { "utf-8" };
    let bytes = encoded.unwrap_or_else(|| content.clone().into_bytes());

    let ext = if spec.html { "html" } else { "txt" };
    let file_name = format!("{}-{i:06}.{ext}", spec.layout.file_stem());
    // A sidecar states the meeting even where the text does not, and a reader prefers it.
    let (committee, meeting_date) = if sidecar { (true_committee, true_date) } else { (committee, meeting_date) };
    let sidecar_json = sidecar.then(|| {
        let sc = Sidecar {
            council: &c.name,
            committee: committee.as_deref(),
            date: meeting_date.map(|d| d.iso()),
            url: &url,
        };
        serde_json::to_string_pretty(&sc).unwrap_or_default() + "\n"
    });
    let record = Planted {
        file: format!("{}/{file_name}", c.slug),
        council: c.name.clone(),
        council_slug: c.slug.clone(),
        committee,
        meeting_date: meeting_date.map(|d| d.iso()),
        page_type,
        layout: spec.layout.name(),
        format: ext,
        encoding,
        url: (sidecar || c.manifest).then(|| url.clone()),
        council_in_text,
        sidecar,
        in_manifest: c.manifest,
        bytes: bytes.len() as u64,
        items: items
            .into_iter()
            .map(|it| PlantedItemJson { number: it.number, title: it.title, topics: it.topics })
            .collect(),
        phrase_counts,
    };
    Rendered { council: spec.council, file_name, url, bytes, content, sidecar: sidecar_json, record }
}

fn make_file(g: &Gen, i: usize, plan: FilePlan) -> Result<FileOut, GenError> {
    let r = render_file(g, i, plan);
    let dir = g.out.join(&g.world.councils[r.council].slug);
    let path = dir.join(&r.file_name);
    fs::write(&path, &r.bytes).map_err(|source| GenError::Write { path, source })?;
    if let Some(json) = &r.sidecar {
        let path = dir.join(format!("{}.meta.json", r.file_name));
        fs::write(&path, json).map_err(|source| GenError::Write { path, source })?;
    }
    Ok(FileOut {
        council: r.council,
        bytes: r.bytes.len() as u64,
        items: r.record.items.len(),
        // Serialising plain strings and numbers cannot fail.
        planted: serde_json::to_string(&r.record).unwrap_or_default(),
        file_name: r.file_name,
        url: r.url,
    })
}
