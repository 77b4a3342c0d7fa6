//! Collectors: counting distinct items among matching chunks.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts the distinct items among matching chunks. A source's chunks are indexed
/// in one batch and so sit in one segment: distinct per segment sums exactly.
pub struct DistinctItems {
    field: String,
}

impl DistinctItems {
    pub fn new(field: &str) -> DistinctItems {
        DistinctItems { field: field.to_string() }
    }
}

pub struct DistinctItemsSegment {
    column: Option<tantivy::columnar::StrColumn>,
    seen: Vec<u64>,
    count: u64,
}

impl Collector for DistinctItems {
    type Fruit = u64;
    type Child = DistinctItemsSegment;

    fn for_segment(&self, _ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<DistinctItemsSegment> {
        let column = reader.fast_fields().str(&self.field)?;
        let words = column.as_ref().map(|c| c.num_terms().div_ceil(64)).unwrap_or(0);
        Ok(DistinctItemsSegment { column, seen: vec![0; words], count: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<u64>) -> tantivy::Result<u64> {
        Ok(fruits.into_iter().sum())
    }
}

impl SegmentCollector for DistinctItemsSegment {
    type Fruit = u64;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(col) = &self.column else { return };
        for ord in col.term_ords(doc) {
            let (w, b) = ((ord / 64) as usize, ord % 64);
            if let Some(word) = self.seen.get_mut(w) {
                if *word & (1 << b) == 0 {
                    *word |= 1 << b;
                    self.count += 1;
                }
            }
        }
    }

    fn harvest(self) -> u64 {
        self.count
    }
}
