//! `sgsearch mentions QUERY`

use super::{Context, FilterArgs, Format};
use crate::error::{Error, Result};
use crate::search::mentions::Mention;
use crate::search::Engine;

#[derive(Debug, clap::Args)]
#[command(after_help = "Every occurrence, one row per occurrence, oldest meeting first:
  sgsearch mentions '\"domestic violence\" OR \"domestic abuse\"' --from 2010 > mentions.csv
  sgsearch mentions 'exploit*' --format jsonl --context 5

Words match as written (case and accents aside); a prefix reports the word it matched.
The rows of a query are exactly what `sgsearch count` counts for it.")]
pub struct Args {
    /// The query
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Words of context on each side
    #[arg(long, default_value_t = 8)]
    pub context: usize,
    /// Stop after this many rows
    #[arg(long)]
    pub limit: Option<u64>,
}

pub const COLUMNS: [&str; 12] = [
    "council",
    "committee",
    "meeting_date",
    "item_number",
    "item_title",
    "source",
    "url",
    "left",
    "match",
    "right",
    "item_id",
    "offset",
];

pub fn record<'a>(m: &'a Mention<'a>) -> [&'a str; 12] {
    let opt = |v: &'a Option<String>| v.as_deref().unwrap_or("");
    [
        opt(&m.item.council),
        opt(&m.item.committee),
        opt(&m.item.meeting_date),
        opt(&m.item.item_number),
        opt(&m.item.item_title),
        &m.item.source,
        opt(&m.item.url),
        m.left,
        m.matched,
        m.right,
        m.item_id,
        "",
    ]
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let format = ctx.format(&[Format::Csv, Format::Jsonl], Format::Csv)?;
    let engine = Engine::open(&ctx.index)?;
    let out = super::stdout();
    let filters = a.filters.to_filters();
    let rows = match format {
        Format::Jsonl => {
            let mut out = out;
            let n = engine.mentions(&a.query, &filters, a.context, a.limit, &mut |m| {
                super::write_json(&mut out, m)?;
                Ok(true)
            })?;
            super::flush(&mut out)?;
            n
        }
        _ => {
            let mut w = csv::Writer::from_writer(out);
            let csv_err = |e: csv::Error| match e.into_kind() {
                csv::ErrorKind::Io(io) => Error::io("writing output", io),
                other => Error::Data(format!("writing CSV: {other:?}")),
            };
            // The header goes out with the first row (or at the end when there is
            // none), so a query that fails to parse leaves stdout empty.
            let mut header = false;
            let n = engine.mentions(&a.query, &filters, a.context, a.limit, &mut |m| {
                if !header {
                    w.write_record(COLUMNS).map_err(csv_err)?;
                    header = true;
                }
                let mut rec = record(m);
                let offset = m.offset.to_string();
                rec[11] = &offset;
                w.write_record(rec).map_err(csv_err)?;
                Ok(true)
            })?;
            if !header {
                w.write_record(COLUMNS).map_err(csv_err)?;
            }
            w.flush().map_err(|e| Error::io("writing output", e))?;
            n
        }
    };
    if !ctx.quiet {
        eprintln!("{rows} mention(s)");
    }
    super::leave(engine);
    Ok(0)
}
