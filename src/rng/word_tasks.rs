//! Long word requests in parallel: split into tasks of a fixed number of words on the current
//! rayon pool. Every word is a function of its position only, so any split (and any thread
//! count) gives the same words; the task size is a speed knob.

use rayon::prelude::*;

/// Words one parallel task generates (128 KiB); a speed knob only.
const WORDS_PER_TASK: usize = 32 * 1024;

/// Fills `out` with words `first .. first + out.len()` by `generate(first_word, out_part)`:
/// in one call for short requests, else in tasks of [`WORDS_PER_TASK`] words in parallel.
pub(super) fn in_tasks(first: u64, out: &mut [u32], generate: impl Fn(u64, &mut [u32]) + Sync) {
    if out.len() <= WORDS_PER_TASK {
        generate(first, out);
    } else {
        out.par_chunks_mut(WORDS_PER_TASK)
            .enumerate()
            .for_each(|(t, o)| generate(first + (t * WORDS_PER_TASK) as u64, o));
    }
}
