//! `sgsearch search QUERY`

use super::{Context, FilterArgs, Format};
use crate::error::{Error, Result};
use crate::search::rank::Sort;
use crate::search::{Engine, Hit, Request, SearchResult};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    Relevance,
    Date,
    DateAsc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    Meeting,
    Committee,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sgsearch search 'return home interviews' --from 2015 --to 2019
  sgsearch search '\"county lines\" OR gangs' --committee scrutiny --sort date
  sgsearch search 'allegations against staff' --topic lado --format json | jq '.hits[].item_title'

Query language: words (all required), \"phrases\", \"a b\"~N (within N words), prefix*,
AND OR NOT ( ), -word, committee: council: topic: title: date:[2012 TO 2014-06] year:2013")]
pub struct Args {
    /// The query
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of the hits
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// Number of items to show
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Skip this many items first (for paging)
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Show the hits grouped by meeting or by committee
    #[arg(long, value_enum)]
    pub group_by: Option<GroupBy>,
    /// Prefer newer meetings
    #[arg(long)]
    pub recent: bool,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
            SortArg::DateAsc => Sort::DateAsc,
        }
    }
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let format = ctx.format(&[Format::Text, Format::Json, Format::Jsonl, Format::Csv], Format::Text)?;
    let engine = Engine::open(&ctx.index)?;
    let req = Request {
        query: a.query.clone(),
        filters: a.filters.to_filters(),
        sort: a.sort.into(),
        limit: a.limit,
        offset: a.offset,
        recent: a.recent,
        facets: true,
        snippets: true,
        exhaustive: false,
    };
    let result = engine.search(&req)?;
    for w in &result.warnings {
        eprintln!("sgsearch: warning: {w}");
    }
    let mut out = super::stdout();
    match format {
        Format::Json => {
            let mut v = serde_json::to_value(&result).map_err(|e| Error::Data(e.to_string()))?;
            if let (Some(g), Some(obj)) = (a.group_by, v.as_object_mut()) {
                obj.insert("groups".into(), serde_json::to_value(groups(&result.hits, g)).unwrap_or_default());
            }
            super::write_json(&mut out, &v)?
        }
        Format::Jsonl => {
            for h in &result.hits {
                super::write_json(&mut out, h)?;
            }
        }
        Format::Csv => write_csv(&mut out, &result.hits)?,
        Format::Text => {
            if !ctx.quiet {
                eprintln!("({} ms)", result.took_ms);
            }
            print_text(&mut out, &result, a.group_by, crate::present::use_color())?
        }
    }
    super::flush(&mut out)?;
    super::leave(engine);
    Ok(0)
}

/// A group of hits: its label and the ranks of its hits.
#[derive(serde::Serialize)]
struct Group {
    key: String,
    hits: Vec<usize>,
}

fn group_key(h: &Hit, g: GroupBy) -> String {
    let or = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_string());
    match g {
        GroupBy::Committee => {
            format!("{} / {}", or(&h.council, "unknown council"), or(&h.committee, "unknown committee"))
        }
        GroupBy::Meeting => format!(
            "{} / {} / {}",
            or(&h.council, "unknown council"),
            or(&h.committee, "unknown committee"),
            or(&h.meeting_date, "undated")
        ),
    }
}

/// Groups in order of their best hit. Hits group by normalised names (so
/// "Children’s Panel" and "Children's Panel" are one group), labelled as first seen.
fn groups(hits: &[Hit], g: GroupBy) -> Vec<Group> {
    let mut out: Vec<(String, Group)> = Vec::new();
    for h in hits {
        let label = group_key(h, g);
        let norm = crate::parse::committee::committee_key(&label);
        match out.iter_mut().find(|(n, _)| *n == norm) {
            Some((_, x)) => x.hits.push(h.rank),
            None => out.push((norm, Group { key: label, hits: vec![h.rank] })),
        }
    }
    out.into_iter().map(|(_, g)| g).collect()
}

fn io(e: std::io::Error) -> Error {
    Error::io("writing output", e)
}

pub(super) fn print_text(out: &mut impl Write, r: &SearchResult, group_by: Option<GroupBy>, color: bool) -> Result<()> {
    writeln!(out, "{} matching item(s) for {:?}", r.total, r.query).map_err(io)?;
    // The biggest buckets first (JSON keeps years in calendar order).
    let top = |f: &[crate::search::Facet]| {
        let mut f: Vec<&crate::search::Facet> = f.iter().collect();
        f.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
        f.iter().take(5).map(|x| format!("{} ({})", x.key, x.count)).collect::<Vec<_>>().join(", ")
    };
    if r.total > 0 {
        writeln!(out, "  by year: {}", top(&r.facets.year)).map_err(io)?;
        writeln!(out, "  committees: {}", top(&r.facets.committee)).map_err(io)?;
        writeln!(out, "  topics: {}", top(&r.facets.topic)).map_err(io)?;
    }
    writeln!(out).map_err(io)?;
    let print_hit = |out: &mut dyn Write, h: &Hit| -> std::io::Result<()> {
        let when = h.meeting_date.clone().unwrap_or_else(|| "undated".to_string());
        let who = [h.council.as_deref(), h.committee.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" / ");
        let title = h.item_title.clone().unwrap_or_else(|| "(untitled)".to_string());
        let num = h.item_number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
        let topics = if h.topics.is_empty() { String::new() } else { format!("  [{}]", h.topics.join(", ")) };
        writeln!(out, "{:>3}. {num}{title}", h.rank)?;
        writeln!(out, "     {when}  {who}{topics}")?;
        writeln!(out, "     {}", crate::present::highlight(&h.snippet, color))?;
        writeln!(out, "     {}\n", h.url.as_deref().unwrap_or(&h.source))
    };
    match group_by {
        None => {
            for h in &r.hits {
                print_hit(out, h).map_err(io)?;
            }
        }
        Some(g) => {
            for group in groups(&r.hits, g) {
                writeln!(out, "== {}", group.key).map_err(io)?;
                for h in r.hits.iter().filter(|h| group.hits.contains(&h.rank)) {
                    print_hit(out, h).map_err(io)?;
                }
            }
        }
    }
    Ok(())
}

fn write_csv(out: &mut impl Write, hits: &[Hit]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| Error::Data(format!("writing CSV: {e}"));
    w.write_record([
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
    ])
    .map_err(csv_err)?;
    for h in hits {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        w.write_record([
            h.rank.to_string(),
            format!("{:.4}", h.score),
            opt(&h.council),
            opt(&h.committee),
            opt(&h.meeting_date),
            opt(&h.item_number),
            opt(&h.item_title),
            h.topics.join(";"),
            h.snippet.clone(),
            h.source.clone(),
            opt(&h.url),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(io)
}
