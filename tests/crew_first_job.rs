//! A one-shot command has one or two parallel phases, so the crew's helpers
//! must join the very first job of a process, also when they start running
//! after it was posted. Its own test binary: in it this job is the first.

use sgsearch::search::crew;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[test]
fn a_helper_joins_the_first_job_of_a_process() {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        eprintln!("skipped: one core, no helpers");
        return;
    }
    let started = AtomicUsize::new(0);
    let threads = Mutex::new(Vec::new());
    // Each task waits (up to 5 s) until both have started: on one thread the
    // first would wait in vain and the second run after it, on the same thread.
    crew::run(2, |_| {
        threads.lock().unwrap().push(std::thread::current().id());
        started.fetch_add(1, Ordering::SeqCst);
        let t = Instant::now();
        while started.load(Ordering::SeqCst) < 2 && t.elapsed() < Duration::from_secs(5) {
            std::thread::yield_now();
        }
    });
    let threads = threads.into_inner().unwrap();
    assert_eq!(threads.len(), 2);
    assert_ne!(threads[0], threads[1], "the first job ran on one thread: no helper took part");
}
