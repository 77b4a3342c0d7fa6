//! `sgsearch info`

use super::{Context, Format};
use crate::error::Result;

pub fn run(ctx: &Context) -> Result<u8> {
    let format = ctx.format(&[Format::Text, Format::Json], Format::Text)?;
    let opened = crate::index::open(&ctx.index)?;
    let info = crate::index::info::info(&opened)?;
    let mut out = super::stdout();
    match format {
        Format::Json => super::write_json(&mut out, &info)?,
        _ => {
            use std::io::Write;
            let none = || "-".to_string();
            let text = format!(
                "index        {}\nsources      {}\nitems        {}\nchunks       {}\ncouncils     {}\ncommittees   {}\ndates        {} to {}\ncommit       {} at {}\ntaxonomy     {}\nsegments     {}\nsize         {:.1} MB\n",
                info.index,
                info.sources,
                info.items,
                info.chunks,
                info.councils,
                info.committees,
                info.first_date.clone().unwrap_or_else(none),
                info.last_date.clone().unwrap_or_else(none),
                info.commit_id,
                info.committed_at.clone().unwrap_or_else(none),
                info.taxonomy_hash.clone().unwrap_or_else(none),
                info.segments,
                info.bytes as f64 / 1e6
            );
            out.write_all(text.as_bytes()).map_err(|e| crate::error::Error::io("writing output", e))?;
        }
    }
    super::flush(&mut out)?;
    Ok(0)
}
