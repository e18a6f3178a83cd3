//! Stream ids derived from logical ids.

/// A 64-bit stream id. Streams of one key are independent sequences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Stream(pub u64);

impl Stream {
    /// The stream for a path of logical ids, such as `[layer, tensor, step]`.
    ///
    /// Derivation (value-stable): starting from `h = [0, 0]`, each id `v` updates
    /// `h = philox4x32_10([v low, v high, h[0], h[1]], [0x5354_5245, 0x414d_4944])[0..2]`;
    /// the stream is `h[0] | h[1] << 32`. Distinct id paths (including different lengths) give
    /// unrelated streams.
    pub fn from_ids(ids: &[u64]) -> Stream {
        let mut h = [0u32; 2];
        for &v in ids {
            let b = crate::rng::philox4x32_10(
                [v as u32, (v >> 32) as u32, h[0], h[1]],
                [0x5354_5245, 0x414d_4944],
            );
            h = [b[0], b[1]];
        }
        Stream(h[0] as u64 | (h[1] as u64) << 32)
    }
}

impl From<u64> for Stream {
    fn from(s: u64) -> Stream {
        Stream(s)
    }
}
