//! `sgsearch gen-corpus`: write a synthetic corpus of fictional councils' pages.

use super::Context;
use crate::error::{Error, Result};
use crate::gen::{generate, parse_size, GenConfig};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  sgsearch gen-corpus --out /tmp/corpus --size 200MB --seed 7\n\nThe same seed and size give byte-identical pages. planted.jsonl records what each page states."
)]
pub struct Args {
    /// Folder to write into (must be empty or absent)
    #[arg(long)]
    out: PathBuf,
    /// Total size of the pages: 5MB, 200MB, 1GB, 1.5GB, or bytes
    #[arg(long, default_value = "5MB")]
    size: String,
    /// Seed of the generator
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of fictional councils
    #[arg(long, default_value_t = 40)]
    councils: usize,
    /// Share of pages written as HTML (0 to 1)
    #[arg(long, default_value_t = 0.3)]
    html_share: f64,
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let target_bytes = parse_size(&a.size).map_err(|e| Error::Usage(format!("--size {:?}: {e}", a.size)))?;
    let cfg = GenConfig {
        seed: a.seed,
        target_bytes,
        councils: a.councils,
        html_share: a.html_share,
        ..GenConfig::default()
    };
    let started = std::time::Instant::now();
    let s = generate(&cfg, &a.out).map_err(|e| match e {
        crate::gen::GenError::Config(m) => Error::Usage(m),
        other => Error::Data(other.to_string()),
    })?;
    if !ctx.quiet {
        eprintln!(
            "wrote {} page(s), {:.1} MB, {} item(s) for {} councils into {} in {:.1}s",
            s.files,
            s.bytes as f64 / 1e6,
            s.items,
            s.councils,
            a.out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(0)
}
