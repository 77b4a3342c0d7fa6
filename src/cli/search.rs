//! `sgsearch search QUERY`

use super::{Context, Format};
use crate::error::Result;
use crate::search::{Engine, SearchResult};
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sgsearch search 'missing children'\n  sgsearch search --format json 'county lines' | jq '.hits[].item_title'"
)]
pub struct Args {
    /// The query: words (all required), \"phrases\", OR, NOT, prefix*
    query: String,
    /// Number of items to show
    #[arg(long, default_value_t = 10)]
    limit: usize,
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let format = ctx.format(&[Format::Text, Format::Json, Format::Jsonl], Format::Text)?;
    let engine = Engine::new(crate::index::open(&ctx.index)?)?;
    let result = engine.search(&a.query, a.limit)?;
    let mut out = super::stdout();
    match format {
        Format::Json => super::write_json(&mut out, &result)?,
        Format::Jsonl => {
            for h in &result.hits {
                super::write_json(&mut out, h)?;
            }
        }
        _ => print_text(&mut out, &result)?,
    }
    super::flush(&mut out)?;
    Ok(0)
}

pub(super) fn print_text(out: &mut impl Write, r: &SearchResult) -> Result<()> {
    let w = |out: &mut dyn Write, s: String| {
        out.write_all(s.as_bytes()).map_err(|e| crate::error::Error::io("writing output", e))
    };
    w(out, format!("{} matching item(s) for {:?} ({} ms)\n\n", r.total, r.query, r.took_ms))?;
    for h in &r.hits {
        let when = h.meeting_date.clone().unwrap_or_else(|| "undated".to_string());
        let who = [h.council.as_deref(), h.committee.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" / ");
        let title = h.item_title.clone().unwrap_or_else(|| "(untitled)".to_string());
        let num = h.item_number.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
        w(
            out,
            format!(
                "{:>2}. {num}{title}\n    {when}  {who}\n    {}\n    {}\n\n",
                h.rank,
                h.snippet,
                h.url.as_deref().unwrap_or(&h.source)
            ),
        )?;
    }
    Ok(())
}
