//! Helper threads that share out one query's segments with the calling thread.
//!
//! Not rayon, for latency: on a small VM (this project's 2-vCPU machine) waking
//! a sleeping thread takes 50–200 µs, as long as a whole mid-frequency query.
//! rayon's workers go to sleep as soon as they run out of work, and a call from
//! outside its pool also puts the caller to sleep until the pool is done, so a
//! search paid for several wake-ups per query. Here nobody waits for a wake-up:
//! the caller posts the work, starts on it at once, and a helper joins in as
//! soon as it is running; the caller waits only for segments a helper has
//! already taken. Helpers spin for a short while after their last job, since
//! a query's phases, a server's requests and a script's searches come in
//! bursts, then park.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// How long an idle helper keeps spinning before it parks: longer than the
/// gaps between a query's phases and between a script's queries, short enough
/// not to slow a one-shot command (a spinning vCPU slows its sibling: with 2 ms,
/// a whole `search` process took 0.5–1.8 ms longer; with 200 µs warm queries
/// are as fast).
const SPIN: Duration = Duration::from_micros(200);
/// Helpers beyond this many are not worth their start-up for a query's segments.
const MAX_HELPERS: usize = 7;

/// One call of [`run`]: tasks `0..n`, claimed one at a time.
struct Job {
    next: AtomicUsize,
    n: usize,
    task: &'static (dyn Fn(usize) + Sync),
    /// Helpers inside the job; the caller returns only when it is back to 0.
    active: AtomicUsize,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

impl Job {
    fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= self.n {
                return;
            }
            (self.task)(i);
        }
    }
}

struct Slot {
    job: Option<&'static Job>,
    /// Bumped at every post, so a helper can tell a new job from one it has done.
    posts: u64,
    parked: usize,
}

struct Crew {
    slot: Mutex<Slot>,
    wake: Condvar,
    /// `Slot::posts`, readable without the lock while spinning.
    posts: AtomicU64,
    helpers: usize,
}

fn lock(m: &Mutex<Slot>) -> MutexGuard<'_, Slot> {
    // A helper never panics while holding the lock; a poisoned one is still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Crew {
    /// Takes the posted job, if any, counting this helper into it.
    fn claim(&self) -> Option<&'static Job> {
        let slot = lock(&self.slot);
        let job = slot.job?;
        job.active.fetch_add(1, Ordering::AcqRel);
        Some(job)
    }

    fn helper(&'static self) {
        // From no post at all: a job posted while this thread was starting
        // (a process's first query) is still there to take.
        let mut seen = 0;
        let mut idle_since = Instant::now();
        let mut spins = 0u32;
        loop {
            let posts = self.posts.load(Ordering::Acquire);
            if posts != seen {
                seen = posts;
                if let Some(job) = self.claim() {
                    if let Err(p) = catch_unwind(AssertUnwindSafe(|| job.work())) {
                        *job.panic.lock().unwrap_or_else(|e| e.into_inner()) = Some(p);
                        // The other tasks still run, on the caller.
                    }
                    job.active.fetch_sub(1, Ordering::AcqRel);
                }
                idle_since = Instant::now();
                continue;
            }
            spins = spins.wrapping_add(1);
            if !spins.is_multiple_of(64) || idle_since.elapsed() < SPIN {
                std::hint::spin_loop();
                continue;
            }
            let mut slot = lock(&self.slot);
            while slot.posts == seen {
                slot.parked += 1;
                slot = self.wake.wait(slot).unwrap_or_else(|e| e.into_inner());
                slot.parked -= 1;
            }
        }
    }
}

fn crew() -> Option<&'static Crew> {
    static CREW: OnceLock<Option<&'static Crew>> = OnceLock::new();
    *CREW.get_or_init(|| {
        let helpers = std::thread::available_parallelism().map_or(1, |n| n.get()).saturating_sub(1).min(MAX_HELPERS);
        if helpers == 0 {
            return None;
        }
        let crew: &'static Crew = Box::leak(Box::new(Crew {
            slot: Mutex::new(Slot { job: None, posts: 0, parked: 0 }),
            wake: Condvar::new(),
            posts: AtomicU64::new(0),
            helpers,
        }));
        let mut started = 0;
        for i in 0..helpers {
            let spawned = std::thread::Builder::new().name(format!("sgsearch-crew-{i}")).spawn(move || crew.helper());
            if spawned.is_ok() {
                started += 1;
            }
        }
        (started > 0).then_some(crew)
    })
}

/// How many threads [`run`] can use, the caller's included.
pub fn threads() -> usize {
    crew().map_or(1, |c| c.helpers + 1)
}

/// Withdraws a posted job and waits for the helpers inside it, also when the
/// caller's own task panics: only then may the job's borrows end.
struct Posted<'a> {
    crew: &'static Crew,
    job: &'a Job,
}

impl Drop for Posted<'_> {
    fn drop(&mut self) {
        {
            let mut slot = lock(&self.crew.slot);
            if slot.job.is_some_and(|j| std::ptr::eq(j, self.job)) {
                slot.job = None;
            }
        }
        // No helper can join now; those inside are finishing a task they took.
        while self.job.active.load(Ordering::Acquire) > 0 {
            std::hint::spin_loop();
        }
    }
}

/// Runs `task(0..n)`, each once, on the calling thread and whichever helpers are
/// free; returns when all are done. A panic in a task is raised here.
pub fn run(n: usize, task: impl Fn(usize) + Sync) {
    let crew = match crew() {
        Some(c) if n > 1 => c,
        _ => return (0..n).for_each(task),
    };
    let task: &(dyn Fn(usize) + Sync) = &task;
    // SAFETY: the job and the task it points to live until `posted` is dropped
    // below, which withdraws the job and waits until no helper is inside it; no
    // helper reaches the job other than through the slot, under its lock.
    let task: &'static (dyn Fn(usize) + Sync) = unsafe { std::mem::transmute(task) };
    let job = Job { next: AtomicUsize::new(0), n, task, active: AtomicUsize::new(0), panic: Mutex::new(None) };
    let job_ref: &'static Job = unsafe { &*(&job as *const Job) };
    let posted = {
        let mut slot = lock(&crew.slot);
        if slot.job.is_some() {
            // Another query has the crew (tests, a library user's threads): go alone.
            None
        } else {
            slot.job = Some(job_ref);
            slot.posts += 1;
            crew.posts.store(slot.posts, Ordering::Release);
            if slot.parked > 0 {
                crew.wake.notify_all();
            }
            Some(Posted { crew, job: &job })
        }
    };
    job.work();
    drop(posted);
    let panic = job.panic.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(p) = panic {
        resume_unwind(p);
    }
}

/// `f(0..n)` as [`run`] does, the results in index order.
pub fn map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let out: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    run(n, |i| {
        let v = f(i);
        *out[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(v);
    });
    // Every task ran (a panic would have been raised above).
    out.into_iter().filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_runs_once() {
        for n in [0usize, 1, 2, 3, 8, 100] {
            let counts: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
            run(n, |i| {
                counts[i].fetch_add(1, Ordering::Relaxed);
            });
            assert!(counts.iter().all(|c| c.load(Ordering::Relaxed) == 1), "n = {n}");
        }
    }

    #[test]
    fn map_keeps_index_order() {
        let squares = map(50, |i| i * i);
        assert_eq!(squares, (0..50).map(|i| i * i).collect::<Vec<_>>());
    }

    #[test]
    fn concurrent_callers_all_finish() {
        let total = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..50 {
                        run(16, |i| {
                            total.fetch_add(i as u64, Ordering::Relaxed);
                        });
                    }
                });
            }
        });
        assert_eq!(total.load(Ordering::Relaxed), 4 * 50 * (0..16u64).sum::<u64>());
    }

    #[test]
    fn a_panicking_task_is_raised_in_the_caller() {
        let done = AtomicU64::new(0);
        let r = catch_unwind(AssertUnwindSafe(|| {
            run(8, |i| {
                if i == 5 {
                    panic!("task 5");
                }
                done.fetch_add(1, Ordering::Relaxed);
            })
        }));
        assert!(r.is_err());
        // The crew is usable afterwards.
        let after = AtomicU64::new(0);
        run(8, |_| {
            after.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(after.load(Ordering::Relaxed), 8);
    }
}
