//! Command line: clap definitions and one module per subcommand.

mod batch;
mod bench;
mod count;
mod demo;
mod gen;
mod index;
mod info;
mod listing;
mod mentions;
mod parse;
mod search;

use crate::error::{Error, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "sgsearch",
    version,
    about = "Search UK council children's-safeguarding minutes, agendas, decisions and board reports",
    long_about = None
)]
pub struct Cli {
    /// Index directory
    #[arg(long, global = true, env = "SGSEARCH_INDEX", default_value = "sgsearch-index")]
    pub index: PathBuf,
    /// Output format (each command says which it supports)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Print only data: no progress, no summaries on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest files and folders (recursively) into the index
    Index(index::Args),
    /// Show how files are understood, without indexing (JSON Lines, one object per item)
    Parse(parse::Args),
    /// Ranked search: one hit per item, with a snippet
    Search(search::Args),
    /// Every occurrence of the query's words and phrases, one row each (CSV or JSON Lines)
    Mentions(mentions::Args),
    /// Matching items and mentions, in total and by year, month, committee, council or topic
    Count(count::Args),
    /// Many queries, one per line or JSON Lines, answered in parallel, in input order
    Batch(batch::Args),
    /// The topic taxonomy, with item counts
    Topics,
    /// The committees seen, with item counts and first and last meeting dates
    Committees,
    /// The whole index as NDJSON for Quickwit (index-schema/quickwit.yaml)
    Export,
    /// What the index holds
    Info,
    /// Generate a sample corpus, index it and run example searches
    Demo(demo::Args),
    /// Write a synthetic corpus of fictional councils' pages (for tests and benchmarks)
    GenCorpus(gen::Args),
    /// In-process query latencies (for benches/compare.sh)
    #[command(hide = true)]
    BenchQueries(bench::Args),
}

pub fn run(cli: Cli) -> Result<u8> {
    let ctx = Context { index: cli.index, format: cli.format, quiet: cli.quiet };
    match cli.command {
        Command::Index(a) => index::run(&ctx, a),
        Command::Parse(a) => parse::run(&ctx, a),
        Command::Search(a) => search::run(&ctx, a),
        Command::Mentions(a) => mentions::run(&ctx, a),
        Command::Count(a) => count::run(&ctx, a),
        Command::Batch(a) => batch::run(&ctx, a),
        Command::Topics => listing::topics(&ctx),
        Command::Committees => listing::committees(&ctx),
        Command::Export => listing::export(&ctx),
        Command::Info => info::run(&ctx),
        Command::Demo(a) => demo::run(&ctx, a),
        Command::GenCorpus(a) => gen::run(&ctx, a),
        Command::BenchQueries(a) => bench::run(&ctx, a),
    }
}

/// The filters `search`, `mentions` and `count` share.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only this council (case-insensitive; exact name, else any containing it)
    #[arg(long)]
    pub council: Option<String>,
    /// Only this committee (case-insensitive; exact name, else any containing it)
    #[arg(long)]
    pub committee: Option<String>,
    /// Meetings on or after this date: YYYY, YYYY-MM or YYYY-MM-DD
    #[arg(long)]
    pub from: Option<String>,
    /// Meetings on or before this date: YYYY, YYYY-MM or YYYY-MM-DD
    #[arg(long)]
    pub to: Option<String>,
    /// Only items tagged with this topic (repeat for any of several)
    #[arg(long = "topic")]
    pub topics: Vec<String>,
}

impl FilterArgs {
    pub fn to_filters(&self) -> crate::search::plan::Filters {
        crate::search::plan::Filters {
            council: self.council.clone(),
            committee: self.committee.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            topics: self.topics.clone(),
        }
    }
}

/// Global settings every subcommand sees.
pub struct Context {
    pub index: PathBuf,
    pub format: Option<Format>,
    pub quiet: bool,
}

impl Context {
    /// The format asked for, if the command supports it.
    pub fn format(&self, supported: &[Format], default: Format) -> Result<Format> {
        match self.format {
            None => Ok(default),
            Some(f) if supported.contains(&f) => Ok(f),
            Some(f) => Err(Error::Usage(format!(
                "--format {} is not available for this command (use one of: {})",
                name(f),
                supported.iter().map(|f| name(*f)).collect::<Vec<_>>().join(", ")
            ))),
        }
    }
}

fn name(f: Format) -> &'static str {
    match f {
        Format::Text => "text",
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
    }
}

/// Writes a JSON value and a newline.
pub(crate) fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| Error::io("writing output", e.into()))?;
    out.write_all(b"\n").map_err(|e| Error::io("writing output", e))
}

pub(crate) fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

pub(crate) fn flush(out: &mut impl Write) -> Result<()> {
    out.flush().map_err(|e| Error::io("writing output", e))
}

/// Ends a one-shot command's use of its engine without tearing it down: the process
/// exits next, and the OS reclaims the ~50 mapped index files and the caches at once,
/// where dropping unmapped and freed them one by one (~10 % of a rare-word search's
/// whole-process time at 1 GB, in `perf`).
pub(crate) fn leave(engine: crate::search::Engine) {
    std::mem::forget(engine);
}

/// True for the error a closed stdout pipe gives.
pub fn is_broken_pipe(err: &Error) -> bool {
    matches!(err, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}
