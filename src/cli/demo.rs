//! `sgsearch demo`: generate a sample corpus, index it, run example searches.

use super::Context;
use crate::error::{Error, Result};
use crate::gen::{generate, GenConfig};
use crate::index::writer::{self, IndexOptions};
use crate::search::Engine;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Writes sgsearch-demo/corpus and sgsearch-demo/index under --dir; run it again to reuse them.")]
pub struct Args {
    /// Where to put the demo corpus and index
    #[arg(long, default_value = "sgsearch-demo")]
    dir: PathBuf,
    /// Size of the generated corpus
    #[arg(long, default_value = "5MB")]
    size: String,
}

const QUERIES: &[&str] = &["missing children", "\"county lines\"", "allegations against staff", "exploit*"];

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let corpus = a.dir.join("corpus");
    let index = a.dir.join("index");
    if !corpus.exists() {
        let target_bytes = crate::gen::parse_size(&a.size).map_err(|e| Error::Usage(format!("--size: {e}")))?;
        let cfg = GenConfig { target_bytes, ..GenConfig::default() };
        let s = generate(&cfg, &corpus).map_err(|e| Error::Data(e.to_string()))?;
        eprintln!(
            "generated {} pages ({:.1} MB) of fictional councils in {}",
            s.files,
            s.bytes as f64 / 1e6,
            corpus.display()
        );
    }
    let opts = IndexOptions { roots: vec![corpus.clone()], ..IndexOptions::default() };
    let s = writer::run(&index, &opts)?;
    eprintln!(
        "indexed {} file(s) ({} unchanged) into {}: {} items, {} chunks, {} ms\n",
        s.files_indexed,
        s.files_unchanged,
        index.display(),
        s.items,
        s.chunks,
        s.elapsed_ms
    );
    let engine = Engine::new(crate::index::open(&index)?)?;
    let mut out = super::stdout();
    for q in QUERIES {
        let req = crate::search::Request {
            query: q.to_string(),
            limit: 3,
            facets: true,
            snippets: true,
            ..Default::default()
        };
        let r = engine.search(&req)?;
        super::search::print_text(&mut out, &r, None, crate::present::use_color())?;
    }
    super::flush(&mut out)?;
    if !ctx.quiet {
        eprintln!("try: sgsearch --index {} search 'domestic abuse'", index.display());
    }
    Ok(0)
}
