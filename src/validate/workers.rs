//! The threads that check records: a chunk of items in, their outcomes out, in input order.
//!
//! Checking a record depends on nothing but the record, so a chunk is split across threads and
//! collected in order; the batch then takes the outcomes one by one, exactly as a single thread
//! would. The report is therefore byte-identical whatever the number of threads (a test holds it).

use rayon::prelude::*;

use crate::error::{Error, ErrorKind};

/// Items a worker takes at a time: enough that handing work between threads (a wake-up each)
/// costs little beside checking it.
const MIN_LEN: usize = 64;

/// One thread (the caller's), every core (rayon's global pool), or a pool of a given size.
pub(crate) enum Workers {
    Caller,
    Global,
    Pool(rayon::ThreadPool),
}

impl Workers {
    /// `jobs` as in [`ValidateOptions::jobs`](super::ValidateOptions::jobs).
    pub(crate) fn new(jobs: usize) -> Result<Self, Error> {
        Ok(match jobs {
            0 if rayon::current_num_threads() > 1 => Self::Global,
            0 | 1 => Self::Caller,
            n => Self::Pool(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| ErrorKind::Usage(format!("cannot start {n} threads: {e}")))?,
            ),
        })
    }

    /// Whether records are checked off the calling thread.
    pub(crate) fn is_parallel(&self) -> bool {
        !matches!(self, Self::Caller)
    }

    /// Empties `items` through `f`, keeping their order.
    pub(crate) fn map<I, O, F>(&self, items: &mut Vec<I>, f: F) -> Vec<O>
    where
        I: Send,
        O: Send,
        F: Fn(I) -> O + Sync + Send,
    {
        match self {
            Self::Caller => items.drain(..).map(f).collect(),
            Self::Global => items.par_drain(..).with_min_len(MIN_LEN).map(f).collect(),
            Self::Pool(pool) => {
                pool.install(|| items.par_drain(..).with_min_len(MIN_LEN).map(f).collect())
            }
        }
    }
}
