//! Buckets: matching items (and their mentions) counted by year, month,
//! committee, council or topic — for `count --by` and the facets of `search`.

use super::eval::ItemSet;
use crate::schema::{IndexSchema, Role};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum By {
    Year,
    Month,
    Committee,
    Council,
    Topic,
}

impl By {
    pub fn name(self) -> &'static str {
        match self {
            By::Year => "year",
            By::Month => "month",
            By::Committee => "committee",
            By::Council => "council",
            By::Topic => "topic",
        }
    }
}

/// Label of items that have no value for the bucket.
pub const UNKNOWN: &str = "unknown";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub key: String,
    pub items: u64,
    pub mentions: u64,
}

/// Counts accumulated over segments, keyed by the normalised value.
#[derive(Debug, Default)]
pub struct Tally {
    /// key -> (label, items, mentions)
    counts: BTreeMap<String, (String, u64, u64)>,
}

impl Tally {
    /// Adds one segment's items (`mentions` per item, absent = 0). Counts go into
    /// arrays indexed by column value or term ordinal; names are looked up once
    /// per bucket, not per item (this runs over every matching item of a search).
    pub fn add_segment(
        &mut self,
        by: By,
        reader: &SegmentReader,
        schema: &IndexSchema,
        items: &ItemSet,
        mentions: Option<&HashMap<DocId, u64>>,
    ) -> tantivy::Result<()> {
        let ff = reader.fast_fields();
        let mentions_of = |item: DocId| mentions.and_then(|m| m.get(&item)).copied().unwrap_or(0);
        let mut unknown = (0u64, 0u64);
        match by {
            By::Year | By::Month => {
                let col: Column<u64> = ff.u64(schema.name(if by == By::Year { Role::Year } else { Role::Month }))?;
                let (lo, hi) = (col.min_value(), col.max_value());
                let width = if col.values.num_vals() == 0 || hi < lo { 0 } else { (hi - lo + 1).min(1 << 20) as usize };
                let mut counts = vec![(0u64, 0u64); width];
                for item in items.iter() {
                    let m = mentions_of(item);
                    match col.first(item).and_then(|v| counts.get_mut((v - lo) as usize)) {
                        Some(c) => {
                            c.0 += 1;
                            c.1 += m;
                        }
                        None => {
                            unknown.0 += 1;
                            unknown.1 += m;
                        }
                    }
                }
                for (i, (n, m)) in counts.into_iter().enumerate().filter(|(_, c)| c.0 > 0) {
                    let v = lo + i as u64;
                    let key = if by == By::Year { v.to_string() } else { format!("{:04}-{:02}", v / 100, v % 100) };
                    let e = self.counts.entry(key.clone()).or_insert((key, 0, 0));
                    e.1 += n;
                    e.2 += m;
                }
                if unknown.0 > 0 {
                    let e = self.counts.entry(UNKNOWN.to_string()).or_insert((UNKNOWN.to_string(), 0, 0));
                    e.1 += unknown.0;
                    e.2 += unknown.1;
                }
            }
            By::Committee | By::Council | By::Topic => {
                let (key_role, label_role) = match by {
                    By::Committee => (Role::CommitteeKey, Some(Role::Committee)),
                    By::Council => (Role::CouncilKey, Some(Role::Council)),
                    _ => (Role::Topics, None),
                };
                let keys: Option<StrColumn> = ff.str(schema.name(key_role))?;
                let labels: Option<StrColumn> = match label_role {
                    Some(r) => ff.str(schema.name(r))?,
                    None => None,
                };
                let n_terms = keys.as_ref().map_or(0, |k| k.num_terms());
                // (items, mentions, first item) per term ordinal.
                let mut counts = vec![(0u64, 0u64, DocId::MAX); n_terms];
                for item in items.iter() {
                    let m = mentions_of(item);
                    let mut any = false;
                    if let Some(k) = &keys {
                        for o in k.term_ords(item) {
                            if let Some(c) = counts.get_mut(o as usize) {
                                c.0 += 1;
                                c.1 += m;
                                c.2 = c.2.min(item);
                                any = true;
                            }
                        }
                    }
                    if !any {
                        unknown.0 += 1;
                        unknown.1 += m;
                    }
                }
                let mut buf = String::new();
                for (ord, (n, m, first)) in counts.into_iter().enumerate().filter(|(_, c)| c.0 > 0) {
                    let Some(k) = &keys else { break };
                    if !k.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                        continue;
                    }
                    let key = buf.clone();
                    let label = labels
                        .as_ref()
                        .and_then(|l| l.term_ords(first).next().map(|lo| (l, lo)))
                        .and_then(|(l, lo)| l.ord_to_str(lo, &mut buf).ok().filter(|ok| *ok).map(|_| buf.clone()))
                        .unwrap_or_else(|| key.clone());
                    let e = self.counts.entry(key).or_insert((label, 0, 0));
                    e.1 += n;
                    e.2 += m;
                }
                if unknown.0 > 0 {
                    let e = self.counts.entry(String::new()).or_insert((UNKNOWN.to_string(), 0, 0));
                    e.1 += unknown.0;
                    e.2 += unknown.1;
                }
            }
        }
        Ok(())
    }

    /// Adds another tally's counts (a later segment's: a key keeps the label it
    /// was first seen with, as when counting segment after segment).
    pub fn merge(&mut self, other: Tally) {
        for (key, (label, items, mentions)) in other.counts {
            let e = self.counts.entry(key).or_insert((label, 0, 0));
            e.1 += items;
            e.2 += mentions;
        }
    }

    /// The buckets: years and months in calendar order with empty years/months in
    /// between filled in (a trend shows its gaps); other keys by item count.
    pub fn buckets(self, by: By) -> Vec<Bucket> {
        let unknown_key = match by {
            By::Year | By::Month => UNKNOWN.to_string(),
            _ => String::new(),
        };
        let unknown = self.counts.get(&unknown_key).cloned();
        let mut out: Vec<Bucket> = self
            .counts
            .into_iter()
            .filter(|(k, _)| *k != unknown_key)
            .map(|(_, (label, items, mentions))| Bucket { key: label, items, mentions })
            .collect();
        match by {
            By::Year | By::Month => out = fill_gaps(out, by),
            _ => out.sort_by(|a, b| b.items.cmp(&a.items).then(b.mentions.cmp(&a.mentions)).then(a.key.cmp(&b.key))),
        }
        if let Some((label, items, mentions)) = unknown {
            out.push(Bucket { key: label, items, mentions });
        }
        out
    }
}

fn fill_gaps(mut known: Vec<Bucket>, by: By) -> Vec<Bucket> {
    known.sort_by(|a, b| a.key.cmp(&b.key));
    let index = |k: &str| -> Option<i64> {
        match by {
            By::Year => k.parse().ok(),
            _ => {
                let (y, m) = k.split_once('-')?;
                Some(y.parse::<i64>().ok()? * 12 + m.parse::<i64>().ok()? - 1)
            }
        }
    };
    let (Some(first), Some(last)) =
        (known.first().and_then(|b| index(&b.key)), known.last().and_then(|b| index(&b.key)))
    else {
        return known;
    };
    let have: HashMap<i64, Bucket> = known.into_iter().filter_map(|b| Some((index(&b.key)?, b))).collect();
    (first..=last)
        .map(|i| {
            have.get(&i).cloned().unwrap_or_else(|| Bucket {
                key: if by == By::Year { i.to_string() } else { format!("{:04}-{:02}", i / 12, i % 12 + 1) },
                items: 0,
                mentions: 0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_months_fill_their_gaps() {
        let b = |k: &str, n| Bucket { key: k.to_string(), items: n, mentions: n * 2 };
        let years = fill_gaps(vec![b("2014", 3), b("2011", 1)], By::Year);
        assert_eq!(years.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(), ["2011", "2012", "2013", "2014"]);
        assert_eq!(years[1].items, 0);
        let months = fill_gaps(vec![b("2011-11", 1), b("2012-02", 2)], By::Month);
        assert_eq!(
            months.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(),
            ["2011-11", "2011-12", "2012-01", "2012-02"]
        );
    }
}
