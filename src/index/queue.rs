//! Back-pressure between parsing and tantivy's indexing threads.
//!
//! tantivy queues up to 10,000 operations between `IndexWriter::run` and its
//! indexing threads, and one of our operations is a whole source (all of its
//! chunks, so that they land in one segment). Parsing is faster than indexing,
//! so that queue filled with 10,000 parsed sources, about 200 MB at 1 GB of
//! text, on top of tantivy's own memory budget. Here each queued document
//! carries its size, the producer waits while the queue holds more than its
//! share of `--memory-mb`, and the size is given back when tantivy has indexed
//! the document and drops it.

use std::sync::{Arc, Condvar, Mutex};
use tantivy::schema::Value;
use tantivy::{Document, TantivyDocument};

/// Bytes held, and how many producers wait for some to be given back (a wake-up
/// is a system call; most releases happen with nobody waiting).
#[derive(Default)]
struct Held {
    bytes: usize,
    waiting: usize,
}

/// Bytes of parsed documents handed to tantivy and not yet indexed.
pub struct InFlight {
    state: Mutex<Held>,
    freed: Condvar,
    cap: usize,
}

impl InFlight {
    pub fn new(cap: usize) -> Arc<InFlight> {
        Arc::new(InFlight { state: Mutex::new(Held::default()), freed: Condvar::new(), cap })
    }

    /// Waits until `n` more bytes fit under the cap. A source bigger than the
    /// cap on its own still goes, alone, so that nothing waits forever.
    pub fn acquire(&self, n: usize) {
        let mut held = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while held.bytes > 0 && held.bytes + n > self.cap {
            held.waiting += 1;
            held = self.freed.wait(held).unwrap_or_else(|e| e.into_inner());
            held.waiting -= 1;
        }
        held.bytes += n;
    }

    fn release(&self, n: usize) {
        let mut held = self.state.lock().unwrap_or_else(|e| e.into_inner());
        held.bytes = held.bytes.saturating_sub(n);
        let waiting = held.waiting > 0;
        drop(held);
        if waiting {
            self.freed.notify_all();
        }
    }

    #[cfg(test)]
    fn held(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).bytes
    }
}

/// A document waiting in tantivy's queue; its bytes go back to the
/// [`InFlight`] gauge when tantivy drops it.
pub struct QueuedDoc {
    doc: TantivyDocument,
    bytes: usize,
    gauge: Arc<InFlight>,
}

impl QueuedDoc {
    /// Wraps documents whose bytes the caller has already acquired.
    pub fn new(doc: TantivyDocument, bytes: usize, gauge: &Arc<InFlight>) -> QueuedDoc {
        QueuedDoc { doc, bytes, gauge: Arc::clone(gauge) }
    }
}

/// What a document weighs in memory: its text and the per-value overhead.
pub fn doc_bytes(doc: &TantivyDocument) -> usize {
    doc.iter_fields_and_values().map(|(_, v)| 32 + v.as_str().map_or(8, str::len)).sum()
}

impl Drop for QueuedDoc {
    fn drop(&mut self) {
        self.gauge.release(self.bytes);
    }
}

impl Document for QueuedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dropping_a_document_gives_its_bytes_back() {
        let gauge = InFlight::new(100);
        gauge.acquire(60);
        let doc = QueuedDoc::new(TantivyDocument::new(), 60, &gauge);
        assert_eq!(gauge.held(), 60);
        drop(doc);
        assert_eq!(gauge.held(), 0);
    }

    #[test]
    fn a_producer_waits_until_the_queue_has_room() {
        let gauge = InFlight::new(100);
        gauge.acquire(80);
        let first = QueuedDoc::new(TantivyDocument::new(), 80, &gauge);
        let g = Arc::clone(&gauge);
        let waiter = std::thread::spawn(move || {
            g.acquire(50);
            g.held()
        });
        std::thread::sleep(Duration::from_millis(50));
        // 80 + 50 does not fit under 100: the producer is still waiting.
        assert!(!waiter.is_finished());
        drop(first);
        assert_eq!(waiter.join().unwrap(), 50);
    }

    #[test]
    fn an_oversized_source_goes_alone() {
        let gauge = InFlight::new(10);
        gauge.acquire(500);
        assert_eq!(gauge.held(), 500);
    }
}
