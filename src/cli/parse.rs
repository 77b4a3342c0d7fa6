//! `sgsearch parse FILE…`

use super::{Context, Format};
use crate::error::Result;
use crate::index::writer::load_taxonomy;
use crate::ingest::{Ingestor, Skip};
use crate::model::Item;
use crate::sources::walk::walk;
use crate::tag::{Tagger, TopicTag};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  sgsearch parse page.html | jq .\n\nOne JSON object per item: council, committee, meeting_date, item_number, item_title, page_type, topics, source, url, chunks."
)]
pub struct Args {
    /// Files or folders to parse
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Also print each item's text
    #[arg(long)]
    text: bool,
    /// Tag with this taxonomy (default: the index's copy, else the built-in one)
    #[arg(long)]
    taxonomy: Option<PathBuf>,
}

/// One line of `parse` output.
#[derive(Serialize)]
struct ItemOut<'a> {
    source: &'a str,
    page_type: &'a str,
    council: Option<&'a str>,
    committee: Option<&'a str>,
    committee_key: Option<&'a str>,
    meeting_date: Option<String>,
    item_number: Option<&'a str>,
    item_title: Option<&'a str>,
    topics: &'a [TopicTag],
    url: Option<&'a str>,
    words: usize,
    chunks: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

impl<'a> ItemOut<'a> {
    fn new(it: &'a Item, with_text: bool) -> ItemOut<'a> {
        ItemOut {
            source: &it.source,
            page_type: &it.page_type,
            council: it.council.as_deref(),
            committee: it.committee.as_deref(),
            committee_key: it.committee_key.as_deref(),
            meeting_date: it.meeting_date.map(|d| d.to_string()),
            item_number: it.item_number.as_deref(),
            item_title: it.item_title.as_deref(),
            topics: &it.topics,
            url: it.url.as_deref(),
            words: crate::chunk::count_words(&it.text),
            chunks: it.chunks.len(),
            text: with_text.then_some(it.text.as_str()),
        }
    }
}

pub fn run(ctx: &Context, a: Args) -> Result<u8> {
    ctx.format(&[Format::Jsonl], Format::Jsonl)?;
    let (taxonomy, _) = load_taxonomy(&ctx.index, a.taxonomy.as_deref())?;
    let ingestor = Ingestor::new(Tagger::new(&taxonomy));
    let walked = walk(&a.paths, &[]);
    let mut failed = 0usize;
    for s in &walked.skipped {
        eprintln!("sgsearch: skipped {}: {}", s.path.display(), s.reason);
        // Other files inside a folder are not the user's request; a named file is.
        if a.paths.contains(&s.path) {
            failed += 1;
        }
    }
    let mut out = super::stdout();
    for c in &walked.candidates {
        let doc = ingestor.read(&c.path).and_then(|bytes| ingestor.build_owned(&c.path, c.kind, bytes));
        match doc {
            Ok(doc) => {
                for w in &doc.warnings {
                    if !ctx.quiet {
                        eprintln!("sgsearch: warning: {w}");
                    }
                }
                for it in &doc.items {
                    super::write_json(&mut out, &ItemOut::new(it, a.text))?;
                }
            }
            Err(Skip(reason)) => {
                eprintln!("sgsearch: skipped {}: {reason}", c.path.display());
                failed += 1;
            }
        }
    }
    super::flush(&mut out)?;
    Ok(if failed > 0 { 1 } else { 0 })
}
