//! `sgsearch count QUERY`

use super::{Context, FilterArgs, Format};
use crate::error::{Error, Result};
use crate::present::chart::{self, Axis, Chart};
use crate::search::buckets::By;
use crate::search::Engine;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    Year,
    Month,
    Committee,
    Council,
    Topic,
}

impl From<ByArg> for By {
    fn from(b: ByArg) -> By {
        match b {
            ByArg::Year => By::Year,
            ByArg::Month => By::Month,
            ByArg::Committee => By::Committee,
            ByArg::Council => By::Council,
            ByArg::Topic => By::Topic,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sgsearch count '\"child sexual exploitation\" OR CSE' --by year --chart cse.svg
  sgsearch count 'missing' --committee 'corporate parenting' --by committee --format csv

Items are matching agenda items; mentions are occurrences of the query's words and
phrases in them, as written (the rows `sgsearch mentions` prints).")]
pub struct Args {
    /// The query
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Break the counts down by this
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    /// Draw the breakdown as an SVG chart (needs --by)
    #[arg(long)]
    pub chart: Option<PathBuf>,
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let format = ctx.format(&[Format::Text, Format::Json, Format::Csv], Format::Text)?;
    if a.chart.is_some() && a.by.is_none() {
        return Err(Error::Usage("--chart needs --by year|month|committee|council|topic".to_string()));
    }
    let engine = Engine::open(&ctx.index)?;
    let filters = a.filters.to_filters();
    let by = a.by.map(By::from);
    let r = engine.count(&a.query, &filters, by)?;
    for w in &r.warnings {
        eprintln!("sgsearch: warning: {w}");
    }
    if let (Some(path), Some(by)) = (&a.chart, by) {
        let buckets: Vec<chart::Bucket> = r
            .buckets
            .iter()
            .map(|b| chart::Bucket { key: b.key.clone(), items: b.items, mentions: b.mentions })
            .collect();
        let mut subtitle = filters.describe();
        if !subtitle.is_empty() {
            subtitle.push_str(" · ");
        }
        subtitle.push_str(&format!("by {} · {} items, {} mentions", by.name(), r.items, r.mentions));
        let title = format!("count {:?}", a.query);
        let x_label = match by {
            By::Year => "Year",
            By::Month => "Month",
            By::Committee => "Committee",
            By::Council => "Council",
            By::Topic => "Topic",
        };
        let axis = if matches!(by, By::Year | By::Month) { Axis::Time } else { Axis::Category };
        let svg = chart::render(&Chart { title: &title, subtitle: &subtitle, x_label, buckets: &buckets, axis });
        std::fs::write(path, svg).map_err(|e| Error::io(format!("writing the chart {}", path.display()), e))?;
        if !ctx.quiet {
            eprintln!("chart written to {}", path.display());
        }
    }
    let mut out = super::stdout();
    let io = |e| Error::io("writing output", e);
    match format {
        Format::Json => super::write_json(&mut out, &r)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let csv_err = |e: csv::Error| Error::Data(format!("writing CSV: {e}"));
            w.write_record(["key", "items", "mentions"]).map_err(csv_err)?;
            w.write_record(["total".to_string(), r.items.to_string(), r.mentions.to_string()]).map_err(csv_err)?;
            for b in &r.buckets {
                w.write_record([b.key.clone(), b.items.to_string(), b.mentions.to_string()]).map_err(csv_err)?;
            }
            w.flush().map_err(io)?;
        }
        _ => {
            writeln!(out, "{} item(s), {} mention(s) for {:?}", r.items, r.mentions, r.query).map_err(io)?;
            if let Some(by) = by {
                let width = r.buckets.iter().map(|b| b.key.chars().count()).max().unwrap_or(4).max(by.name().len());
                writeln!(out, "\n{:<width$}  {:>8}  {:>9}", by.name(), "items", "mentions").map_err(io)?;
                for b in &r.buckets {
                    writeln!(out, "{:<width$}  {:>8}  {:>9}", b.key, b.items, b.mentions).map_err(io)?;
                }
            }
        }
    }
    super::flush(&mut out)?;
    super::leave(engine);
    Ok(0)
}
