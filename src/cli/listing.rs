//! `sgsearch topics`, `sgsearch committees` and `sgsearch export`.

use super::{Context, Format};
use crate::error::{Error, Result};
use crate::search::Engine;
use std::io::Write;

fn io(e: std::io::Error) -> Error {
    Error::io("writing output", e)
}

pub fn topics(ctx: &Context) -> Result<u8> {
    let format = ctx.format(&[Format::Text, Format::Json, Format::Csv], Format::Text)?;
    let rows = Engine::open(&ctx.index)?.topics()?;
    let mut out = super::stdout();
    match format {
        Format::Json => super::write_json(&mut out, &rows)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let e = |e: csv::Error| Error::Data(format!("writing CSV: {e}"));
            w.write_record(["key", "label", "items", "description"]).map_err(e)?;
            for r in &rows {
                w.write_record([r.key.clone(), r.label.clone(), r.items.to_string(), r.description.clone()])
                    .map_err(e)?;
            }
            w.flush().map_err(io)?;
        }
        _ => {
            let width = rows.iter().map(|r| r.key.len()).max().unwrap_or(3);
            writeln!(out, "{:<width$}  {:>7}  label", "key", "items").map_err(io)?;
            for r in &rows {
                writeln!(out, "{:<width$}  {:>7}  {}", r.key, r.items, r.label).map_err(io)?;
            }
        }
    }
    super::flush(&mut out)?;
    Ok(0)
}

pub fn committees(ctx: &Context) -> Result<u8> {
    let format = ctx.format(&[Format::Text, Format::Json, Format::Csv], Format::Text)?;
    let rows = Engine::open(&ctx.index)?.committees()?;
    let mut out = super::stdout();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match format {
        Format::Json => super::write_json(&mut out, &rows)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let e = |e: csv::Error| Error::Data(format!("writing CSV: {e}"));
            w.write_record(["council", "committee", "committee_key", "items", "first_date", "last_date"]).map_err(e)?;
            for r in &rows {
                w.write_record([
                    opt(&r.council),
                    opt(&r.committee),
                    opt(&r.committee_key),
                    r.items.to_string(),
                    opt(&r.first_date),
                    opt(&r.last_date),
                ])
                .map_err(e)?;
            }
            w.flush().map_err(io)?;
        }
        _ => {
            let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_string());
            for r in &rows {
                writeln!(
                    out,
                    "{:<28}  {:<52}  {:>6}  {} to {}",
                    dash(&r.council),
                    dash(&r.committee),
                    r.items,
                    dash(&r.first_date),
                    dash(&r.last_date)
                )
                .map_err(io)?;
            }
        }
    }
    super::flush(&mut out)?;
    Ok(0)
}

pub fn export(ctx: &Context) -> Result<u8> {
    ctx.format(&[Format::Jsonl], Format::Jsonl)?;
    let opened = crate::index::open(&ctx.index)?;
    let mut out = super::stdout();
    let n = crate::index::export::export(&opened, &mut out)?;
    super::flush(&mut out)?;
    if !ctx.quiet {
        eprintln!("exported {n} chunk(s)");
    }
    Ok(0)
}
