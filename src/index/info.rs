//! `sgsearch info`: what an index holds.

use super::Opened;
use crate::error::Result;
use crate::parse::dates::Date;
use crate::schema::Role;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Info {
    pub index: String,
    pub sources: u64,
    pub items: u64,
    pub chunks: u64,
    pub councils: u64,
    pub committees: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub commit_id: u64,
    /// RFC 3339 UTC time of the last commit.
    pub committed_at: Option<String>,
    pub taxonomy_hash: Option<String>,
    pub schema_hash: String,
    pub segments: usize,
    pub bytes: u64,
}

pub fn info(opened: &Opened) -> Result<Info> {
    let reader = crate::index::reader(&opened.index)?;
    let searcher = reader.searcher();
    let schema = &opened.schema;
    let mut councils = BTreeSet::new();
    let mut committees = BTreeSet::new();
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        for (name, set) in
            [(schema.name(Role::CouncilKey), &mut councils), (schema.name(Role::CommitteeKey), &mut committees)]
        {
            if let Some(col) = ff.str(name)? {
                // The dictionary still lists values of deleted documents: keep the
                // values some live document has.
                let mut live = vec![seg.alive_bitset().is_none(); col.num_terms()];
                if let Some(alive) = seg.alive_bitset() {
                    for doc in alive.iter_alive() {
                        for ord in col.term_ords(doc) {
                            if let Some(l) = live.get_mut(ord as usize) {
                                *l = true;
                            }
                        }
                    }
                }
                let mut buf = String::new();
                for (ord, _) in live.iter().enumerate().filter(|(_, l)| **l) {
                    if col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                        set.insert(buf.clone());
                    }
                }
            }
        }
        if let Ok(col) = ff.date(schema.name(Role::MeetingDate)) {
            let mut span = |secs: i64| {
                first = Some(first.map_or(secs, |f| f.min(secs)));
                last = Some(last.map_or(secs, |l| l.max(secs)));
            };
            match seg.alive_bitset() {
                // Column min/max include deleted documents: walk the live ones.
                Some(alive) => {
                    alive.iter_alive().filter_map(|d| col.first(d)).for_each(|d| span(d.into_timestamp_secs()))
                }
                None if col.values.num_vals() > 0 => {
                    span(col.min_value().into_timestamp_secs());
                    span(col.max_value().into_timestamp_secs());
                }
                None => {}
            }
        }
    }
    let day = |secs: i64| Date::from_days_since_epoch(secs.div_euclid(86_400)).map(|d| d.to_string());
    let metas = opened.index.load_metas()?;
    let p = opened.payload.as_ref();
    Ok(Info {
        index: opened.dir.display().to_string(),
        sources: p.map_or(0, |p| p.sources),
        items: p.map_or(0, |p| p.items),
        chunks: p.map_or(0, |p| p.chunks),
        councils: councils.len() as u64,
        committees: committees.len() as u64,
        first_date: first.and_then(day),
        last_date: last.and_then(day),
        commit_id: metas.opstamp,
        committed_at: p.map(|p| rfc3339(p.committed_at)),
        taxonomy_hash: p.map(|p| p.taxonomy_hash.clone()),
        schema_hash: schema.hash.clone(),
        segments: searcher.segment_readers().len(),
        bytes: dir_size(&opened.dir),
    })
}

fn rfc3339(secs: i64) -> String {
    let date = Date::from_days_since_epoch(secs.div_euclid(86_400)).map(|d| d.to_string()).unwrap_or_default();
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, (s / 60) % 60, s % 60)
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}
