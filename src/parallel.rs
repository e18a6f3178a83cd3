//! The rayon driver of the canonical chunk tree.
//!
//! Parallelism follows the tree of [`detkern_kernels::order`]: a node is split into its two
//! canonical children and the children may run on different threads, so every pool size
//! computes the same nodes with the same operations. Nothing goes through rayon's own
//! `sum`/`reduce`/`fold`. Every subtree that one thread evaluates serially checks that thread's
//! floating-point environment before its first leaf.

use crate::Error;
use detkern_kernels::fpenv;
use detkern_kernels::order::{self, Serial};
use std::ops::Range;

/// Nodes of at most this many chunks run on one thread (so inputs of up to this many chunks
/// run inline, without touching the pool). A speed knob only: it changes who computes a node,
/// never the node.
pub(crate) const SERIAL_CHUNKS: usize = 8;

/// Reduces `chunks` by the canonical tree: `leaf(c)` is chunk `c`'s value, `combine` a node's.
/// Fails if a thread that runs a leaf is not in the default floating-point environment.
///
/// Nodes are forked with `rayon::join` only while it can pay off, by rayon's own adaptive rule:
/// a budget of forks, initially the pool size, is halved at each level and reset to the pool size
/// in a half that another thread stole (a sign that threads are idle). Below that, and for nodes
/// of at most [`SERIAL_CHUNKS`] chunks, the subtree runs serially on its thread, with one
/// floating-point-environment check and no `Result` per leaf. A 1-thread pool never forks. Which
/// thread computes a node never changes the node.
pub(crate) fn tree<V: Send>(
    chunks: Range<usize>,
    leaf: impl Fn(usize) -> V + Sync,
    combine: impl Fn(V, V) -> V + Sync,
) -> Result<V, Error> {
    if chunks.len() <= SERIAL_CHUNKS {
        // Small inputs (the common case of one chunk included) skip the pool entirely.
        fpenv::check()?;
        return Ok(order::tree_reduce(&Serial, chunks, &leaf, &combine));
    }
    let threads = rayon::current_num_threads();
    let splits = if threads > 1 { threads } else { 0 };
    node(chunks, splits, threads, &leaf, &combine)
}

/// The canonical subtree over `chunks`, forking at most `splits` more levels (see [`tree`]).
fn node<V, L, C>(
    chunks: Range<usize>,
    splits: usize,
    threads: usize,
    leaf: &L,
    combine: &C,
) -> Result<V, Error>
where
    V: Send,
    L: Fn(usize) -> V + Sync,
    C: Fn(V, V) -> V + Sync,
{
    let m = chunks.len();
    if m <= SERIAL_CHUNKS || splits == 0 {
        fpenv::check()?;
        return Ok(order::tree_reduce(&Serial, chunks, leaf, combine));
    }
    // The same split as `order::tree_reduce`, so both halves are canonical subtrees.
    let mid = chunks.start + order::split(m);
    let budget = |stolen: bool| {
        if stolen {
            threads.max(splits / 2)
        } else {
            splits / 2
        }
    };
    let (l, r) = rayon::join_context(
        |ctx| {
            node(
                chunks.start..mid,
                budget(ctx.migrated()),
                threads,
                leaf,
                combine,
            )
        },
        |ctx| {
            node(
                mid..chunks.end,
                budget(ctx.migrated()),
                threads,
                leaf,
                combine,
            )
        },
    );
    Ok(combine(l?, r?))
}
