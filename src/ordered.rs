//! Parallel work handed back in order: the engine of the streaming report
//! (SPEC §6: memory bounded by the files in flight).
//!
//! [`run`] computes `work(i)` for `i` in `0..n` on `threads` threads (the
//! calling thread and `threads - 1` spawned ones) and gives each result to
//! `take` on the calling thread, in index order, as soon as every earlier
//! result has been taken; when no result is ready to take, the calling
//! thread works on the next items itself. No thread starts an item
//! more than `window` places ahead of the next one to be taken, so the
//! results waiting to be put back in order are at most `window`, whatever
//! the number of items. With one thread, or at most [`SERIAL_BELOW`]
//! items, everything runs on the caller's thread, one item after the
//! other, and no thread is spawned.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// Up to this many items run on the caller's thread.
pub const SERIAL_BELOW: usize = 8;

/// The stack each worker thread gets: deep documents recurse.
pub const STACK_SIZE: usize = 8 * 1024 * 1024;

/// What the workers and the taker share.
struct Gate {
    /// The next item a worker may claim.
    next: AtomicUsize,
    /// Items below this index have been taken.
    taken: AtomicUsize,
    /// `take` asked to stop, or a worker panicked: claim nothing more.
    stop: AtomicBool,
    /// Workers waiting for `taken` to move (the lock of the condition
    /// variable below).
    sleeping: Mutex<usize>,
    sleepers: AtomicUsize,
    moved: Condvar,
}

impl Gate {
    /// Wait until items up to `last` may start; `false` to end the worker.
    fn wait_for(&self, last: usize, window: usize) -> bool {
        let ready = |g: &Gate| {
            g.stop.load(Ordering::SeqCst) || last < g.taken.load(Ordering::SeqCst) + window
        };
        if ready(self) {
            return !self.stop.load(Ordering::SeqCst);
        }
        let Ok(mut sleeping) = self.sleeping.lock() else {
            return false;
        };
        *sleeping += 1;
        self.sleepers.fetch_add(1, Ordering::SeqCst);
        while !ready(self) {
            sleeping = match self.moved.wait(sleeping) {
                Ok(g) => g,
                Err(_) => return false,
            };
        }
        *sleeping -= 1;
        self.sleepers.fetch_sub(1, Ordering::SeqCst);
        !self.stop.load(Ordering::SeqCst)
    }

    /// Wake the waiting workers, if any (a wake is a system call: most
    /// takes need none).
    fn wake(&self) {
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            // Taking the lock orders this wake after a worker's check.
            drop(self.sleeping.lock());
            self.moved.notify_all();
        }
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        drop(self.sleeping.lock());
        self.moved.notify_all();
    }
}

/// Claim the next `batch` items for the calling thread, if they all start
/// before `limit` (the window) and any are left.
fn claim(gate: &Gate, n: usize, batch: usize, limit: usize) -> Option<std::ops::Range<usize>> {
    let mut first = gate.next.load(Ordering::SeqCst);
    loop {
        let end = (first + batch).min(n);
        if first >= n || end > limit || gate.stop.load(Ordering::SeqCst) {
            return None;
        }
        match gate
            .next
            .compare_exchange(first, first + batch, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => return Some(first..end),
            Err(now) => first = now,
        }
    }
}

/// Run `work` over `0..n` and hand the results to `take` in order; see the
/// module documentation. `take` returning [`ControlFlow::Break`] stops the
/// run: no new item is started and nothing more is taken. `work` must not
/// panic (a panic in a worker ends the run early, as a stop does).
///
/// Workers claim a few consecutive items at a time and send their results
/// together, so that the taker is woken once per batch, not per item.
pub fn run<R, W, T>(n: usize, threads: usize, window: usize, work: W, mut take: T)
where
    R: Send,
    W: Fn(usize) -> R + Sync,
    T: FnMut(usize, R) -> ControlFlow<()>,
{
    let window = window.max(1);
    // A few items (a pre-commit hook's files) cost less than starting
    // threads.
    if threads <= 1 || n <= SERIAL_BELOW {
        for i in 0..n {
            if take(i, work(i)).is_break() {
                return;
            }
        }
        return;
    }
    // Batches small enough that every thread has dozens of them.
    let batch = (n / (threads * 64)).clamp(1, 16).min(window);
    let gate = Gate {
        next: AtomicUsize::new(0),
        taken: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        sleeping: Mutex::new(0),
        sleepers: AtomicUsize::new(0),
        moved: Condvar::new(),
    };
    let (tx, rx) = mpsc::channel::<Vec<(usize, R)>>();
    std::thread::scope(|scope| {
        let mut spawned = 0;
        // The calling thread is one of the `threads`: it works too when no
        // result is waiting to be taken (a third thread on two cores cost
        // a fifth more CPU time than the work itself).
        for _ in 0..(threads - 1).min(n) {
            let tx = tx.clone();
            let (gate, work) = (&gate, &work);
            let worker = move || loop {
                if gate.stop.load(Ordering::SeqCst) {
                    return;
                }
                let first = gate.next.fetch_add(batch, Ordering::SeqCst);
                if first >= n {
                    return;
                }
                let end = (first + batch).min(n);
                if !gate.wait_for(end - 1, window) {
                    return;
                }
                let mut done = Vec::with_capacity(end - first);
                for i in first..end {
                    match catch_unwind(AssertUnwindSafe(|| work(i))) {
                        Ok(r) => done.push((i, r)),
                        Err(_) => {
                            // Nothing can be taken past this item: end the run.
                            gate.stop();
                            return;
                        }
                    }
                }
                if tx.send(done).is_err() {
                    return;
                }
            };
            if std::thread::Builder::new()
                .stack_size(STACK_SIZE)
                .spawn_scoped(scope, worker)
                .is_ok()
            {
                spawned += 1;
            }
        }
        drop(tx);
        if spawned == 0 {
            // No thread could be started: do the work here.
            gate.stop();
            for i in 0..n {
                if take(i, work(i)).is_break() {
                    return;
                }
            }
            return;
        }
        let mut early: BTreeMap<usize, R> = BTreeMap::new();
        let mut want = 0;
        while want < n {
            // What the workers have sent, then what is next in order.
            while let Ok(done) = rx.try_recv() {
                early.extend(done);
            }
            let before = want;
            while let Some(r) = early.remove(&want) {
                want += 1;
                if take(want - 1, r).is_break() {
                    gate.stop();
                    return;
                }
            }
            if want != before {
                gate.taken.store(want, Ordering::SeqCst);
                gate.wake();
            }
            if want >= n {
                break;
            }
            // Nothing to take: work on the next batch if the window allows
            // it (the caller never waits for itself), else wait for one.
            match claim(&gate, n, batch, want + window) {
                Some(range) => {
                    for i in range {
                        match catch_unwind(AssertUnwindSafe(|| work(i))) {
                            Ok(r) => {
                                early.insert(i, r);
                            }
                            Err(_) => {
                                gate.stop();
                                return;
                            }
                        }
                    }
                }
                None => {
                    if early.contains_key(&want) {
                        continue;
                    }
                    let Ok(done) = rx.recv() else {
                        // Every worker is gone before the end (one panicked).
                        break;
                    };
                    early.extend(done);
                }
            }
        }
        gate.stop();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_for_any_thread_count() {
        for threads in [1, 2, 3, 8] {
            let mut got = Vec::new();
            run(
                100,
                threads,
                4,
                |i| {
                    // Uneven work, so that items finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros(
                        ((i * 37) % 11) as u64 * 50,
                    ));
                    i * 2
                },
                |i, r| {
                    got.push((i, r));
                    ControlFlow::Continue(())
                },
            );
            let want: Vec<(usize, usize)> = (0..100).map(|i| (i, i * 2)).collect();
            assert_eq!(got, want, "threads {threads}");
        }
    }

    #[test]
    fn no_item_starts_more_than_a_window_ahead() {
        let taken = AtomicUsize::new(0);
        let worst = AtomicUsize::new(0);
        run(
            200,
            4,
            8,
            |i| {
                let ahead = i.saturating_sub(taken.load(Ordering::SeqCst));
                worst.fetch_max(ahead, Ordering::SeqCst);
            },
            |i, ()| {
                taken.store(i + 1, Ordering::SeqCst);
                ControlFlow::Continue(())
            },
        );
        assert!(worst.load(Ordering::SeqCst) < 8, "{worst:?}");
    }

    #[test]
    fn the_calling_thread_works_too() {
        let me = std::thread::current().id();
        let mine = AtomicUsize::new(0);
        let mut got = 0;
        run(
            200,
            2,
            16,
            |_| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                if std::thread::current().id() == me {
                    mine.fetch_add(1, Ordering::SeqCst);
                }
            },
            |_, ()| {
                got += 1;
                ControlFlow::Continue(())
            },
        );
        assert_eq!(got, 200);
        assert!(mine.load(Ordering::SeqCst) > 0);
    }

    #[test]
    fn a_break_stops_the_run() {
        let started = AtomicUsize::new(0);
        let mut got = 0;
        run(
            10_000,
            2,
            4,
            |_| {
                started.fetch_add(1, Ordering::SeqCst);
            },
            |_, ()| {
                got += 1;
                if got == 10 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(got, 10);
        assert!(started.load(Ordering::SeqCst) < 100);
    }
}
