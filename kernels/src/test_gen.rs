//! The xorshift generator of the lane tests' inputs (test only).

/// Marsaglia's 64-bit xorshift (13, 7, 17); the state must not be 0.
pub(crate) struct Gen(pub(crate) u64);

impl Gen {
    /// The next state.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
