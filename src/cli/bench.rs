//! `sgsearch bench-queries` (hidden): in-process latency of queries on a warm
//! index, for benches/compare.sh. Not part of the user-facing contract.

use super::Context;
use crate::error::{Error, Result};
use crate::search::plan::Filters;
use crate::search::{Engine, Request};
use serde_json::json;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchMode {
    Search,
    Count,
    Mentions,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// File with one query per line
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "search")]
    pub mode: BenchMode,
    /// Timed runs per query (after one warm-up run)
    #[arg(long, default_value_t = 50)]
    pub repeat: usize,
    /// Hits per search
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Also compute the facets (as `search --format json` does)
    #[arg(long)]
    pub facets: bool,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let engine = Engine::open(&ctx.index)?.for_many_queries();
    let file = std::fs::File::open(&a.file).map_err(|e| Error::io(format!("opening {}", a.file.display()), e))?;
    let mut out = super::stdout();
    for line in std::io::BufReader::new(file).lines() {
        let q = line.map_err(|e| Error::io("reading queries", e))?;
        if q.trim().is_empty() {
            continue;
        }
        let once = || -> Result<u64> {
            Ok(match a.mode {
                BenchMode::Search => {
                    engine
                        .search(&Request {
                            query: q.clone(),
                            limit: a.limit,
                            facets: a.facets,
                            snippets: true,
                            ..Request::default()
                        })?
                        .total
                }
                BenchMode::Count => engine.count(&q, &Filters::default(), None)?.mentions,
                BenchMode::Mentions => {
                    let mut n = 0u64;
                    engine.mentions(&q, &Filters::default(), 8, None, &mut |m| {
                        n += m.offset as u64 & 1; // touch the row
                        Ok(true)
                    })?
                }
            })
        };
        let result = once()?;
        let mut times = Vec::with_capacity(a.repeat);
        for _ in 0..a.repeat {
            let t = Instant::now();
            once()?;
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
        super::write_json(
            &mut out,
            &json!({"query": q, "result": result, "p50_us": percentile(&times, 0.5), "p95_us": percentile(&times, 0.95),
                    "p99_us": percentile(&times, 0.99), "mean_us": mean, "runs": times.len()}),
        )?;
    }
    super::flush(&mut out)?;
    Ok(0)
}
