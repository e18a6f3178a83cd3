//! The rayon driver of the canonical chunk tree.
//!
//! Parallelism follows the tree of [`detkern_kernels::order`]: a node is split into its two
//! canonical children and the children may run on different threads, so every pool size
//! computes the same nodes with the same operations. Nothing goes through rayon's own
//! `sum`/`reduce`/`fold`. Every leaf checks its thread's floating-point environment.

use crate::Error;
use detkern_kernels::fpenv;
use detkern_kernels::order::{self, Fork};
use std::ops::Range;

/// Nodes of at most this many chunks run on one thread (so inputs of up to this many chunks
/// run inline, without touching the pool). A speed knob only: it changes who computes a node,
/// never the node.
pub(crate) const SERIAL_CHUNKS: usize = 8;

/// Runs both halves of a large node with `rayon::join` (in the caller's pool, whichever it is).
struct Rayon;

impl Fork for Rayon {
    fn join<A: Send, B: Send>(
        &self,
        chunks: usize,
        a: impl FnOnce() -> A + Send,
        b: impl FnOnce() -> B + Send,
    ) -> (A, B) {
        if chunks <= SERIAL_CHUNKS {
            (a(), b())
        } else {
            rayon::join(a, b)
        }
    }
}

/// Reduces `chunks` by the canonical tree: `leaf(c)` is chunk `c`'s value, `combine` a node's.
/// Fails if a thread that runs a leaf is not in the default floating-point environment.
pub(crate) fn tree<V: Send>(
    chunks: Range<usize>,
    leaf: impl Fn(usize) -> V + Sync,
    combine: impl Fn(V, V) -> V + Sync,
) -> Result<V, Error> {
    let leaf = |c: usize| -> Result<V, Error> {
        fpenv::check()?;
        Ok(leaf(c))
    };
    let combine = |l: Result<V, Error>, r: Result<V, Error>| Ok(combine(l?, r?));
    order::tree_reduce(&Rayon, chunks, &leaf, &combine)
}
