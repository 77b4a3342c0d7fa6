//! `sgsearch batch [FILE|-]`

use super::{Context, Format};
use crate::error::{Error, Result};
use crate::search::plan::{Filters, Mode};
use crate::search::rank::Sort;
use crate::search::{Engine, Request};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchMode {
    Search,
    Count,
    Mentions,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Input: one query per line, or JSON Lines such as
  {\"id\": \"q1\", \"query\": \"missing children\", \"council\": \"haringey\", \"from\": \"2015\", \"topics\": [\"missing\"], \"limit\": 5, \"sort\": \"date\"}
Output: one JSON line per input line, in input order:
  {\"id\", \"query\", \"total\", \"hits\": [...]}   (search)
  {\"id\", \"query\", \"items\", \"mentions\"}       (count)
  {\"id\", \"query\", \"mentions\": [...]}           (mentions)
  {\"id\", \"query\", \"error\", \"position\"}        (a bad line; the batch goes on)
`id` is the line's own id, or its line number.")]
pub struct Args {
    /// File of queries, or - for standard input
    #[arg(default_value = "-")]
    pub file: PathBuf,
    /// What to do with each query
    #[arg(long, value_enum, default_value = "search")]
    pub mode: BatchMode,
    /// Hits (or mention rows) per query unless the line says otherwise
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Worker threads [default: number of cores]
    #[arg(long)]
    pub threads: Option<usize>,
}

/// A JSON input line (every field optional but `query`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: Option<Value>,
    query: Option<String>,
    council: Option<String>,
    committee: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    sort: Option<String>,
}

/// Lines read and answered per round: bounds memory, keeps output flowing.
const ROUND: usize = 256;

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    ctx.format(&[Format::Jsonl], Format::Jsonl)?;
    let mut engine = Engine::open(&ctx.index)?.for_many_queries();
    // One query per core already: a query's segments stay on its thread.
    engine.parallel = false;
    let searcher = engine.reader.searcher();
    let input: Box<dyn BufRead> = if a.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(&a.file).map_err(|e| Error::io(format!("opening {}", a.file.display()), e))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = a.threads {
        builder = builder.num_threads(t.max(1));
    }
    let pool = builder.build().map_err(|e| Error::Data(format!("cannot start worker threads: {e}")))?;
    let mut out = super::stdout();
    let mut lines = input.lines();
    let mut number = 0usize;
    loop {
        let mut round = Vec::with_capacity(ROUND);
        for line in lines.by_ref().take(ROUND) {
            number += 1;
            round.push((number, line.map_err(|e| Error::io(format!("reading {}", a.file.display()), e))?));
        }
        if round.is_empty() {
            break;
        }
        let answers: Vec<String> = pool.install(|| {
            round.par_iter().map(|(n, line)| answer(&engine, &searcher, &a, *n, line).to_string()).collect()
        });
        for ans in answers {
            writeln!(out, "{ans}").map_err(|e| Error::io("writing output", e))?;
        }
        super::flush(&mut out)?;
    }
    Ok(0)
}

fn answer(engine: &Engine, searcher: &tantivy::Searcher, a: &Args, number: usize, raw: &str) -> Value {
    let trimmed = raw.trim();
    let (line, id) = if trimmed.starts_with('{') {
        match serde_json::from_str::<Line>(trimmed) {
            Ok(l) => {
                let id = l.id.clone().unwrap_or_else(|| json!(number));
                (l, id)
            }
            Err(e) => {
                return json!({"id": number, "query": Value::Null, "error": format!("line {number}: not a query object: {e}"), "position": e.column().saturating_sub(1)});
            }
        }
    } else {
        (Line { query: Some(trimmed.to_string()), ..Line::default() }, json!(number))
    };
    let query = line.query.clone().unwrap_or_default();
    let fail = |e: Error| -> Value {
        let position = match &e {
            Error::Query(q) => json!(q.position()),
            _ => Value::Null,
        };
        let message = match &e {
            Error::Query(q) => q.summary(),
            other => other.to_string(),
        };
        json!({"id": id, "query": query, "error": message, "position": position})
    };
    let sort = match line.sort.as_deref() {
        None | Some("relevance") => Sort::Relevance,
        Some("date") => Sort::Date,
        Some("date-asc") => Sort::DateAsc,
        Some(other) => {
            return fail(Error::Usage(format!("unknown sort {other:?} (use relevance, date or date-asc)")));
        }
    };
    let filters = Filters {
        council: line.council.clone(),
        committee: line.committee.clone(),
        from: line.from.clone(),
        to: line.to.clone(),
        topics: line.topics.clone(),
    };
    let limit = line.limit.unwrap_or(a.limit);
    match a.mode {
        BatchMode::Search => {
            let req = Request {
                query: query.clone(),
                filters,
                sort,
                limit,
                offset: line.offset.unwrap_or(0),
                recent: false,
                facets: false,
                snippets: true,
                exhaustive: false,
            };
            match engine.search_with(searcher, &req) {
                Ok(r) => json!({"id": id, "query": query, "total": r.total, "hits": r.hits}),
                Err(e) => fail(e),
            }
        }
        BatchMode::Count => match engine.count_with(searcher, &query, &filters, None) {
            Ok(r) => json!({"id": id, "query": query, "items": r.items, "mentions": r.mentions}),
            Err(e) => fail(e),
        },
        BatchMode::Mentions => {
            let plan = match engine.plan(searcher, &query, &filters, Mode::Exact) {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            let mut rows = Vec::new();
            let r = engine.mentions_with(searcher, &plan, 8, Some(limit as u64), &mut |m| {
                rows.push(serde_json::to_value(m).unwrap_or(Value::Null));
                Ok(true)
            });
            match r {
                Ok(_) => json!({"id": id, "query": query, "mentions": rows}),
                Err(e) => fail(e),
            }
        }
    }
}
