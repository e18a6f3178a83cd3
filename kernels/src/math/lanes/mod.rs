//! The vocabulary the elementary functions are written over: `W` lanes of `f64` (with their
//! bit patterns as `u64` lanes), widened from and narrowed to `f32`.
//!
//! Every operation is exact in the IEEE sense (one rounding per arithmetic operation, one per
//! `fma`; conversions round to nearest-even; bit operations are exact), so a function written
//! once over this trait computes the same bits in every lane on every path. `tests.rs` checks
//! every operation of every token lane by lane against the one-lane `Scalar` implementation
//! (and that against plain Rust arithmetic); the functions' tests compare every path with the
//! plain scalar reference (`tests/math.rs`).

#[cfg(target_arch = "aarch64")]
mod neon;
mod scalar;
#[cfg(test)]
mod tests;
#[cfg(target_arch = "x86_64")]
mod x86;

/// `W` lanes of `f64` on one instruction set.
pub(crate) trait MathLanes: Copy {
    /// Lanes per register.
    const W: usize;
    /// `W` doubles.
    type V: Copy;
    /// `W` 64-bit integers (the doubles' bit patterns).
    type I: Copy;
    /// One flag per lane.
    type M: Copy;

    /// Loads `src[0..W]`, widening each `f32` to `f64` (exact). Panics if `src` is shorter.
    fn load_f32(self, src: &[f32]) -> Self::V;
    /// Loads `src[0..W] - m`, each difference rounded to `f32` (an IEEE `f32` subtraction) and
    /// widened to `f64` (exact). Panics if `src` is shorter.
    fn load_f32_minus(self, src: &[f32], m: f32) -> Self::V;
    /// Stores each lane rounded to `f32` (to nearest-even) into `dst[0..W]`.
    fn store_f32(self, v: Self::V, dst: &mut [f32]);
    /// Each lane rounded to `f32` (to nearest-even) and widened back (exact).
    fn round_f32(self, v: Self::V) -> Self::V;

    /// All lanes `x`.
    fn splat(self, x: f64) -> Self::V;
    /// `a + b`.
    fn add(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a - b`.
    fn sub(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a * b`.
    fn mul(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a / b`.
    fn div(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a * b + c` with a single rounding.
    fn fma(self, a: Self::V, b: Self::V, c: Self::V) -> Self::V;

    /// `a < b` (false where either is NaN).
    fn lt(self, a: Self::V, b: Self::V) -> Self::M;
    /// `a == b` (false where either is NaN).
    fn eq(self, a: Self::V, b: Self::V) -> Self::M;
    /// Both flags.
    fn and_m(self, a: Self::M, b: Self::M) -> Self::M;
    /// `v` limited to `[lo, hi]` (`lo <= hi`): `lo` where `v < lo`, `hi` where `hi < v`, else `v`
    /// (so NaN stays NaN and a zero stays as it is).
    fn clamp(self, v: Self::V, lo: Self::V, hi: Self::V) -> Self::V;
    /// `m ? a : b` per lane.
    fn select(self, m: Self::M, a: Self::V, b: Self::V) -> Self::V;
    /// Whether any lane is flagged.
    fn any(self, m: Self::M) -> bool;

    /// The lanes' bit patterns.
    fn to_bits(self, v: Self::V) -> Self::I;
    /// Doubles from bit patterns.
    fn bits_to_f64(self, i: Self::I) -> Self::V;
    /// All lanes `x`.
    fn splat_i(self, x: u64) -> Self::I;
    /// `a + b` (wrapping).
    fn add_i(self, a: Self::I, b: Self::I) -> Self::I;
    /// `a - b` (wrapping).
    fn sub_i(self, a: Self::I, b: Self::I) -> Self::I;
    /// `a & b`.
    fn and_i(self, a: Self::I, b: Self::I) -> Self::I;
    /// `a | b`.
    fn or_i(self, a: Self::I, b: Self::I) -> Self::I;
    /// `a << n` for `n < 64`.
    fn shl_i(self, a: Self::I, n: u32) -> Self::I;
    /// `a >> n` (logical) for `n < 64`.
    fn shr_i(self, a: Self::I, n: u32) -> Self::I;
    /// Lanes where `a & mask` is 0.
    fn zero_in(self, a: Self::I, mask: Self::I) -> Self::M;
    /// `table[idx & 127]` per lane.
    fn gather(self, table: &[f64; 128], idx: Self::I) -> Self::V;
    /// `table[idx & 15]` per lane (a table small enough to be held in registers).
    fn lookup16(self, table: &[u64; 16], idx: Self::I) -> Self::I;

    /// Loads `src[0..W]` (test only).
    #[cfg(test)]
    fn test_load_f64(self, src: &[f64]) -> Self::V;
    /// Stores the lanes into `dst[0..W]` (test only).
    #[cfg(test)]
    fn test_store_f64(self, v: Self::V, dst: &mut [f64]);
}
