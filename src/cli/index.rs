//! `sgsearch index PATH…`

use super::{Context, Format};
use crate::error::{Error, Result};
use crate::index::writer::{self, IndexOptions, Summary};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sgsearch index ~/minutes\n  sgsearch index --prune --format json ~/minutes > summary.json\n\nRe-running on the same folders only reads files whose size or time changed, and re-indexes only those whose content changed."
)]
pub struct Args {
    /// Files or folders to index (folders are walked recursively)
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Worker threads for parsing and indexing [default: number of cores]
    #[arg(long)]
    threads: Option<usize>,
    /// Memory budget of the whole run, in MB (at least 20 per thread)
    #[arg(long, default_value_t = 256)]
    memory_mb: usize,
    /// Remove from the index the files under PATHs that no longer exist
    #[arg(long)]
    prune: bool,
    /// Exit with status 1 if any file was skipped
    #[arg(long)]
    strict: bool,
    /// Delete the index and build it again from scratch
    #[arg(long)]
    rebuild: bool,
    /// Tag with this taxonomy instead of the index's copy of topics.toml
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// Skip files larger than this many MB
    #[arg(long, default_value_t = 64)]
    max_file_mb: u64,
    /// Commit after every N MB of sources read: a crash loses at most one batch
    /// [default: three quarters of --memory-mb, which keeps a batch's index data
    /// within the memory budget]
    #[arg(long)]
    batch_mb: Option<u64>,
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let format = ctx.format(&[Format::Text, Format::Json], Format::Text)?;
    let mut opts = IndexOptions {
        roots: a.paths,
        memory_mb: a.memory_mb,
        prune: a.prune,
        rebuild: a.rebuild,
        taxonomy: a.taxonomy,
        max_file_bytes: a.max_file_mb.saturating_mul(1024 * 1024),
        batch_bytes: a.batch_mb.unwrap_or(a.memory_mb as u64 / 4 * 3).max(1).saturating_mul(1024 * 1024),
        progress: !ctx.quiet && std::io::stderr().is_terminal(),
        ..IndexOptions::default()
    };
    if let Some(t) = a.threads {
        if t == 0 {
            return Err(Error::Usage("--threads must be at least 1".to_string()));
        }
        opts.threads = t;
    }
    let summary = writer::run(&ctx.index, &opts)?;
    let mut out = super::stdout();
    match format {
        Format::Json => super::write_json(&mut out, &summary)?,
        _ => {
            if !ctx.quiet {
                print_text(&summary);
            }
        }
    }
    super::flush(&mut out)?;
    Ok(if a.strict && !summary.files_skipped.is_empty() { 1 } else { 0 })
}

fn print_text(s: &Summary) {
    let secs = s.elapsed_ms as f64 / 1000.0;
    let mb = s.bytes_indexed as f64 / 1e6;
    eprintln!(
        "indexed {} file(s) ({:.1} MB, {:.1} MB/s), {} unchanged, {} skipped, {} pruned in {:.2}s",
        s.files_indexed,
        mb,
        if secs > 0.0 { mb / secs } else { 0.0 },
        s.files_unchanged,
        s.files_skipped.len(),
        s.files_pruned,
        secs
    );
    eprintln!("index holds {} item(s) in {} chunk(s)", s.items, s.chunks);
    for f in s.files_skipped.iter().take(20) {
        eprintln!("  skipped {}: {}", f.path, f.reason);
    }
    if s.files_skipped.len() > 20 {
        eprintln!("  … and {} more (use --format json for the full list)", s.files_skipped.len() - 20);
    }
    for w in s.warnings.iter().take(10) {
        eprintln!("  warning: {w}");
    }
}
