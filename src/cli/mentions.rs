//! `sgsearch mentions QUERY`

use super::{Context, FilterArgs, Format};
use crate::error::{Error, Result};
use crate::search::mentions::Mention;
use crate::search::Engine;
use std::io::Write;

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

/// Writes rows as CSV or JSON Lines, formatting each item's metadata once for all
/// its rows (an item has a handful of rows; formatting was a fifth of the thread
/// that writes).
struct RowWriter<W: Write> {
    out: W,
    format: Format,
    /// The item whose metadata `prefix` holds.
    item: Option<u64>,
    prefix: Vec<u8>,
    line: Vec<u8>,
    header: bool,
}

impl<W: Write> RowWriter<W> {
    fn new(out: W, format: Format) -> Self {
        RowWriter { out, format, item: None, prefix: Vec::new(), line: Vec::new(), header: false }
    }

    fn header(&mut self) -> Result<()> {
        if self.format == Format::Csv && !self.header {
            self.header = true;
            self.out.write_all(COLUMNS.join(",").as_bytes()).map_err(write_err)?;
            self.out.write_all(b"\n").map_err(write_err)?;
        }
        Ok(())
    }

    fn row(&mut self, m: &Mention) -> Result<()> {
        self.header()?;
        if self.item != Some(m.item_seq) {
            self.item = Some(m.item_seq);
            self.prefix.clear();
            if self.format == Format::Jsonl {
                serde_json::to_writer(&mut self.prefix, m.item).map_err(|e| Error::io("writing output", e.into()))?;
                // The row's own fields follow inside the same object.
                self.prefix.pop();
            } else {
                fn opt(v: &Option<String>) -> &str {
                    v.as_deref().unwrap_or("")
                }
                let i = m.item;
                let fields = [
                    opt(&i.council),
                    opt(&i.committee),
                    opt(&i.meeting_date),
                    opt(&i.item_number),
                    opt(&i.item_title),
                    i.source.as_str(),
                    opt(&i.url),
                ];
                for f in fields {
                    csv_field(&mut self.prefix, f);
                    self.prefix.push(b',');
                }
            }
        }
        let line = &mut self.line;
        line.clear();
        line.extend_from_slice(&self.prefix);
        if self.format == Format::Jsonl {
            let json = |line: &mut Vec<u8>, key: &[u8], v: &str| -> Result<()> {
                line.extend_from_slice(key);
                serde_json::to_writer(&mut *line, v).map_err(|e| Error::io("writing output", e.into()))
            };
            json(line, b",\"left\":", m.left)?;
            json(line, b",\"match\":", m.matched)?;
            json(line, b",\"right\":", m.right)?;
            json(line, b",\"item_id\":", m.item_id)?;
            line.extend_from_slice(format!(",\"offset\":{}}}\n", m.offset).as_bytes());
        } else {
            for f in [m.left, m.matched, m.right, m.item_id] {
                csv_field(line, f);
                line.push(b',');
            }
            line.extend_from_slice(format!("{}\n", m.offset).as_bytes());
        }
        self.out.write_all(line).map_err(write_err)
    }

    /// Writes the header if no row did, flushes, and gives the output back.
    fn finish(mut self) -> Result<W> {
        self.header()?;
        super::flush(&mut self.out)?;
        Ok(self.out)
    }
}

fn write_err(e: std::io::Error) -> Error {
    Error::io("writing output", e)
}

/// Appends a CSV field as the csv crate writes it by default: quoted (quotes
/// doubled) when it holds a comma, a quote or a line break, as it is otherwise.
fn csv_field(out: &mut Vec<u8>, field: &str) {
    let b = field.as_bytes();
    if memchr::memchr3(b',', b'"', b'\n', b).is_none() && memchr::memchr(b'\r', b).is_none() {
        out.extend_from_slice(b);
        return;
    }
    out.push(b'"');
    for &c in b {
        if c == b'"' {
            out.push(b'"');
        }
        out.push(c);
    }
    out.push(b'"');
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    let format = ctx.format(&[Format::Csv, Format::Jsonl], Format::Csv)?;
    let engine = Engine::open(&ctx.index)?;
    let filters = a.filters.to_filters();
    let mut w = RowWriter::new(super::stdout(), format);
    // The CSV header goes out with the first row (or at the end when there is
    // none), so a query that fails to parse leaves stdout empty.
    let rows = engine.mentions(&a.query, &filters, a.context, a.limit, &mut |m| {
        w.row(m)?;
        Ok(true)
    })?;
    w.finish()?;
    if !ctx.quiet {
        eprintln!("{rows} mention(s)");
    }
    super::leave(engine);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::mentions::ItemMeta;

    /// An item's metadata and its rows' (left, match, right).
    type Item<'a> = (ItemMeta, &'a [(&'a str, &'a str, &'a str)]);

    fn rows(format: Format, items: &[Item]) -> Vec<u8> {
        let mut w = RowWriter::new(Vec::new(), format);
        for (seq, (meta, rows)) in items.iter().enumerate() {
            for (k, (left, matched, right)) in rows.iter().enumerate() {
                let m =
                    Mention { item: meta, left, matched, right, item_id: "i,d", offset: k * 7, item_seq: seq as u64 };
                w.row(&m).unwrap();
            }
        }
        w.finish().unwrap()
    }

    #[test]
    fn rows_are_written_as_csv_and_serde_write_them() {
        let meta = |council: Option<&str>, title: &str| ItemMeta {
            council: council.map(str::to_string),
            committee: Some("Children's \"Scrutiny\", panel".into()),
            meeting_date: Some("2019-03-04".into()),
            item_number: None,
            item_title: Some(title.into()),
            source: "a/b.html".into(),
            url: Some("https://x.example/?a=1,2".into()),
        };
        let items: Vec<Item> = vec![
            (meta(Some("Kent"), "Line\nbreak"), &[("left, side", "CSE", "right \"q\""), ("", "cse", "")]),
            (meta(None, "Plain"), &[("a\rb", "MASH", "c")]),
        ];
        let mut expected = csv::Writer::from_writer(Vec::new());
        expected.write_record(COLUMNS).unwrap();
        let mut json = Vec::new();
        for (meta, rows) in &items {
            for (k, (left, matched, right)) in rows.iter().enumerate() {
                let m = Mention { item: meta, left, matched, right, item_id: "i,d", offset: k * 7, item_seq: 0 };
                let opt = |v: &Option<String>| v.clone().unwrap_or_default();
                let offset = m.offset.to_string();
                expected
                    .write_record([
                        &opt(&meta.council),
                        &opt(&meta.committee),
                        &opt(&meta.meeting_date),
                        &opt(&meta.item_number),
                        &opt(&meta.item_title),
                        &meta.source,
                        &opt(&meta.url),
                        &left.to_string(),
                        &matched.to_string(),
                        &right.to_string(),
                        &m.item_id.to_string(),
                        &offset,
                    ])
                    .unwrap();
                serde_json::to_writer(&mut json, &m).unwrap();
                json.push(b'\n');
            }
        }
        assert_eq!(
            String::from_utf8(rows(Format::Csv, &items)).unwrap(),
            String::from_utf8(expected.into_inner().unwrap()).unwrap()
        );
        assert_eq!(String::from_utf8(rows(Format::Jsonl, &items)).unwrap(), String::from_utf8(json).unwrap());
        // No rows: the CSV header alone, no JSON.
        assert_eq!(rows(Format::Csv, &[]), format!("{}\n", COLUMNS.join(",")).into_bytes());
        assert!(rows(Format::Jsonl, &[]).is_empty());
    }
}
