//! Listings of the whole index: the committees seen, and the taxonomy with item
//! counts.

use super::buckets::{By, Tally};
use super::eval::SegmentView;
use super::Engine;
use crate::error::Result;
use crate::parse::dates::Date;
use crate::schema::Role;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommitteeRow {
    pub council: Option<String>,
    pub committee: Option<String>,
    pub committee_key: Option<String>,
    pub items: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TopicRow {
    pub key: String,
    pub label: String,
    pub description: String,
    pub items: u64,
    pub phrases: Vec<String>,
    pub acronyms: Vec<String>,
}

fn day(secs: i64) -> Option<String> {
    Date::from_days_since_epoch(secs.div_euclid(86_400)).map(|d| d.to_string())
}

impl Engine {
    /// Every (council, committee) with its item count and first and last meeting
    /// date, by council then committee (normalised keys; names as first printed).
    pub fn committees(&self) -> Result<Vec<CommitteeRow>> {
        let searcher = self.reader.searcher();
        let s = &self.schema;
        type Acc = (Option<String>, Option<String>, u64, Option<i64>, Option<i64>);
        let mut acc: BTreeMap<(String, String), Acc> = BTreeMap::new();
        let mut buf = String::new();
        for reader in searcher.segment_readers() {
            let view = SegmentView::cached(reader, s, &self.columns)?;
            let ff = reader.fast_fields();
            let cols = [
                ff.str(s.name(Role::CouncilKey))?,
                ff.str(s.name(Role::CommitteeKey))?,
                ff.str(s.name(Role::Council))?,
                ff.str(s.name(Role::Committee))?,
            ];
            let mut value = |i: usize, item| -> Option<String> {
                let col = cols[i].as_ref()?;
                let ord = col.term_ords(item).next()?;
                col.ord_to_str(ord, &mut buf).ok().filter(|ok| *ok).map(|_| buf.clone())
            };
            for item in view.all_items().iter() {
                let key = (value(0, item).unwrap_or_default(), value(1, item).unwrap_or_default());
                let e = acc.entry(key).or_insert_with(|| (value(2, item), value(3, item), 0, None, None));
                e.2 += 1;
                if let Some(d) = view.date(item) {
                    e.3 = Some(e.3.map_or(d, |f| f.min(d)));
                    e.4 = Some(e.4.map_or(d, |l| l.max(d)));
                }
            }
        }
        Ok(acc
            .into_iter()
            .map(|((_, ck), (council, committee, items, first, last))| CommitteeRow {
                council,
                committee,
                committee_key: (!ck.is_empty()).then_some(ck),
                items,
                first_date: first.and_then(day),
                last_date: last.and_then(day),
            })
            .collect())
    }

    /// The taxonomy, with the number of items tagged with each topic.
    pub fn topics(&self) -> Result<Vec<TopicRow>> {
        let searcher = self.reader.searcher();
        let mut tally = Tally::default();
        for reader in searcher.segment_readers() {
            let view = SegmentView::cached(reader, &self.schema, &self.columns)?;
            tally.add_segment(By::Topic, reader, &self.schema, view.all_items(), None)?;
        }
        let counts: BTreeMap<String, u64> = tally.buckets(By::Topic).into_iter().map(|b| (b.key, b.items)).collect();
        Ok(self
            .taxonomy()?
            .topics()
            .iter()
            .map(|t| TopicRow {
                key: t.key.clone(),
                label: t.label.clone(),
                description: t.description.clone(),
                items: counts.get(&t.key).copied().unwrap_or(0),
                phrases: t.phrases.clone(),
                acronyms: t.acronyms.clone(),
            })
            .collect())
    }
}
