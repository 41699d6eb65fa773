//! The threads that check records: chunks of items in, their outcomes out, in input order.
//!
//! Checking a record depends on nothing but the record, so each worker takes whole chunks and
//! checks them one after another, and the calling thread takes the outcomes chunk by chunk in
//! input order, exactly as a single thread would. The report is therefore byte-identical whatever
//! the number of threads (a test holds it).
//!
//! Whole chunks, not records, are what the threads hand each other: a hand-over wakes a thread
//! (a system call), and one per thousand records costs nothing beside checking them. (Splitting
//! each chunk across a thread pool instead woke its threads some fifty times a chunk, and on two
//! cores cost a third of the time in the kernel.)

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{Builder, Scope};

/// How many threads check records: one is the calling thread itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Workers(usize);

/// Threads a core at most: more only hold more chunks in memory (`-j 10000` is a typo, not a
/// plan).
const MAX_PER_CORE: usize = 4;

/// Chunks read but not yet taken, per worker: enough that no worker waits for the reader or for
/// the slowest of the others, few enough that memory stays flat.
const IN_FLIGHT_PER_WORKER: usize = 2;

impl Workers {
    /// `jobs` as in [`ValidateOptions::jobs`](super::ValidateOptions::jobs): 0 is every core;
    /// at most [`MAX_PER_CORE`] a core, since each thread keeps chunks in memory.
    pub(crate) fn new(jobs: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Self(if jobs == 0 {
            cores
        } else {
            jobs.min(MAX_PER_CORE * cores)
        })
    }

    /// Whether records are checked off the calling thread.
    pub(crate) fn is_parallel(self) -> bool {
        self.0 > 1
    }

    /// Runs the three stages at once: `read` on a thread of its own hands out chunks (through the
    /// function it is given, which says whether to go on), the workers `check` them (each with
    /// state of its own, `W`), and `take` gets the outcomes on the calling thread, in input
    /// order. An error from `take` stops the others. Returns what `read` returned and how taking
    /// ended; an error when a thread cannot start or fails.
    pub(crate) fn run<C, O, W, R, E>(
        self,
        read: impl FnOnce(&mut dyn FnMut(C) -> bool) -> R + Send,
        check: impl Fn(C, &mut W) -> O + Sync,
        mut take: impl FnMut(O) -> Result<(), E>,
    ) -> std::io::Result<(R, Result<(), E>)>
    where
        C: Send,
        O: Send,
        W: Default,
        R: Send,
    {
        let in_flight = IN_FLIGHT_PER_WORKER * self.0 + 1;
        std::thread::scope(|scope| {
            // The reader takes a permit for each chunk and the calling thread gives it back when
            // it has taken the chunk's outcomes: at most `in_flight` chunks exist at once, however
            // far one slow chunk holds the others back.
            let (give_back, permits) = sync_channel::<()>(in_flight);
            for _ in 0..in_flight {
                let _ = give_back.send(());
            }
            let (to_check, chunks) = sync_channel::<(u64, C)>(self.0);
            let (checked, to_take) = sync_channel::<(u64, O)>(in_flight);
            let reader = spawn(scope, "ctdx-read", move || {
                let mut sent = 0;
                let read = read(&mut |chunk| {
                    let ok = permits.recv().is_ok() && to_check.send((sent, chunk)).is_ok();
                    sent += u64::from(ok);
                    ok
                });
                (read, sent)
            })?;
            // Each worker holds the chunks' receiver; when the last one stops, the reader's next
            // send fails and it stops too.
            let chunks = Arc::new(Mutex::new(chunks));
            let check = &check;
            for _ in 0..self.0 {
                let (chunks, checked) = (Arc::clone(&chunks), checked.clone());
                spawn(scope, "ctdx-check", move || work(&chunks, &checked, check))?;
            }
            drop((chunks, checked));
            let mut waiting = BTreeMap::new();
            let mut next = 0;
            let taken = to_take.iter().try_for_each(|(number, outcomes)| {
                waiting.insert(number, outcomes);
                while let Some(outcomes) = waiting.remove(&next) {
                    take(outcomes)?;
                    next += 1;
                    let _ = give_back.send(());
                }
                Ok(())
            });
            // On an error, the workers' sends and the reader's wait for a permit now fail.
            drop((to_take, give_back));
            let (read, sent) = reader.join().map_err(|_| failed("reading"))?;
            // Every chunk read was taken, unless taking stopped: nothing is lost silently.
            if taken.is_ok() && next != sent {
                return Err(failed("checking"));
            }
            Ok((read, taken))
        })
    }
}

/// A worker: checks chunks until there are none, or until nobody takes its outcomes.
fn work<C, O, W: Default>(
    chunks: &Mutex<Receiver<(u64, C)>>,
    checked: &std::sync::mpsc::SyncSender<(u64, O)>,
    check: &impl Fn(C, &mut W) -> O,
) {
    let mut state = W::default();
    loop {
        // A poisoned lock means another worker panicked; the receiver itself is still sound.
        let next = chunks.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((number, chunk)) = next else { return };
        if checked.send((number, check(chunk, &mut state))).is_err() {
            return;
        }
    }
}

fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    name: &str,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::io::Result<std::thread::ScopedJoinHandle<'scope, T>> {
    Builder::new().name(name.to_owned()).spawn_scoped(scope, f)
}

fn failed(what: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "the {what} thread failed; please report it as a ctdx bug"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `n` chunks (each its own number) through `send`.
    fn numbers(n: u64) -> impl FnOnce(&mut dyn FnMut(u64) -> bool) -> u64 + Send {
        move |send| (0..n).take_while(|&i| send(i)).count() as u64
    }

    #[test]
    fn outcomes_are_taken_in_input_order_whatever_the_threads() {
        for threads in [2, 3, 8] {
            let mut taken = Vec::new();
            // Uneven work: later chunks often finish first.
            let check = |i: u64, seen: &mut u64| {
                *seen += 1;
                std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                i * 10
            };
            let (read, done) = Workers(threads)
                .run(numbers(500), check, |o| {
                    taken.push(o);
                    Ok::<(), ()>(())
                })
                .expect("threads start");
            assert_eq!(read, 500);
            assert_eq!(done, Ok(()));
            assert_eq!(taken, (0..500).map(|i| i * 10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn an_error_while_taking_stops_reading_and_checking() {
        let mut taken = 0;
        let (read, done) = Workers(2)
            .run(
                numbers(1_000_000),
                |i: u64, _: &mut ()| i,
                |i| {
                    taken += 1;
                    if i == 10 {
                        Err("the output is full")
                    } else {
                        Ok(())
                    }
                },
            )
            .expect("threads start");
        assert_eq!(done, Err("the output is full"));
        assert_eq!(taken, 11, "nothing is taken after the error");
        assert!(
            read < 100,
            "the reader stopped soon after: {read} chunks read"
        );
    }
}
