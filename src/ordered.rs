//! Parallel work handed back in order: the engine of the streaming report
//! (SPEC §6: memory bounded by the files in flight).
//!
//! [`run`] computes `work(i)` for `i` in `0..n` on `threads` threads and
//! gives each result to `take` on the calling thread, in index order, as
//! soon as every earlier result has been taken. No thread starts an item
//! more than `window` places ahead of the next one to be taken, so the
//! results waiting to be put back in order are at most `window`, whatever
//! the number of items. With one thread, everything runs on the caller's
//! thread, one item after the other, and no thread is spawned.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Condvar, Mutex};

/// The stack each worker thread gets: deep documents recurse.
pub const STACK_SIZE: usize = 8 * 1024 * 1024;

struct Gate {
    /// The next item a worker may claim.
    next: usize,
    /// Items below this index have been taken.
    taken: usize,
    /// `take` asked to stop: claim nothing more.
    stop: bool,
}

/// Run `work` over `0..n` and hand the results to `take` in order; see the
/// module documentation. `take` returning [`ControlFlow::Break`] stops the
/// run: no new item is started and nothing more is taken. `work` must not
/// panic (a panic in a worker ends the run early, as a stop does).
pub fn run<R, W, T>(n: usize, threads: usize, window: usize, work: W, mut take: T)
where
    R: Send,
    W: Fn(usize) -> R + Sync,
    T: FnMut(usize, R) -> ControlFlow<()>,
{
    let window = window.max(1);
    if threads <= 1 || n <= 1 {
        for i in 0..n {
            if take(i, work(i)).is_break() {
                return;
            }
        }
        return;
    }
    let gate = Mutex::new(Gate {
        next: 0,
        taken: 0,
        stop: false,
    });
    let moved = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        let mut spawned = 0;
        for _ in 0..threads.min(n) {
            let tx = tx.clone();
            let (gate, moved, work) = (&gate, &moved, &work);
            let worker = move || loop {
                let i = {
                    let Ok(mut g) = gate.lock() else { return };
                    while !g.stop && g.next < n && g.next >= g.taken + window {
                        g = match moved.wait(g) {
                            Ok(g) => g,
                            Err(_) => return,
                        };
                    }
                    if g.stop || g.next >= n {
                        return;
                    }
                    g.next += 1;
                    g.next - 1
                };
                let r = match catch_unwind(AssertUnwindSafe(|| work(i))) {
                    Ok(r) => r,
                    Err(_) => {
                        // Nothing can be taken past this item: end the run.
                        if let Ok(mut g) = gate.lock() {
                            g.stop = true;
                        }
                        moved.notify_all();
                        return;
                    }
                };
                if tx.send((i, r)).is_err() {
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
        let stop = |gate: &Mutex<Gate>| {
            if let Ok(mut g) = gate.lock() {
                g.stop = true;
            }
            moved.notify_all();
        };
        if spawned == 0 {
            // No thread could be started: do the work here.
            stop(&gate);
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
            let Ok((i, r)) = rx.recv() else {
                // Every worker is gone before the end (one panicked).
                break;
            };
            early.insert(i, r);
            while let Some(r) = early.remove(&want) {
                want += 1;
                if take(want - 1, r).is_break() {
                    stop(&gate);
                    return;
                }
                if let Ok(mut g) = gate.lock() {
                    g.taken = want;
                }
                moved.notify_all();
            }
        }
        stop(&gate);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

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
