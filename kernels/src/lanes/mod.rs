//! The per-ISA lane vocabulary: the few exact operations every kernel is written over.
//!
//! Each instruction set provides a zero-sized token type that implements [`Lanes<T>`] for `f32`
//! and `f64`. A token can be created only after the CPU was seen to support its instructions
//! (`new`), so a safe call of an operation never executes an unsupported instruction. Every
//! operation is exact in the IEEE sense (one rounding per `add`, one per `fma`), so each is
//! tested lane by lane against plain scalar arithmetic (`tests` below).

#[cfg(target_arch = "aarch64")]
pub(crate) mod neon;
mod scalar;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86;

pub(crate) use scalar::Scalar;

/// A fixed-size array of registers (the accumulators of a kernel).
pub trait Regs<V: Copy>: Copy + AsRef<[V]> + AsMut<[V]> {
    fn filled(v: V) -> Self;
}

impl<V: Copy, const N: usize> Regs<V> for [V; N] {
    #[inline(always)]
    fn filled(v: V) -> Self {
        [v; N]
    }
}

/// The lane vocabulary of one instruction set for elements of type `T`.
pub trait Lanes<T: Copy>: Copy {
    /// Lanes per register.
    const W: usize;
    /// A register of `W` lanes.
    type V: Copy;
    /// NaN flags, one per lane.
    type M: Copy;
    /// The accumulator registers of a reduction: `LANES / W` registers, so that register `r`,
    /// lane `k` holds logical lane `r * W + k`.
    type Acc: Regs<Self::V>;

    /// All lanes set to `x`.
    fn splat(self, x: T) -> Self::V;
    /// Loads `src[0..W]`. Panics if `src` is shorter.
    fn load(self, src: &[T]) -> Self::V;
    /// Stores into `dst[0..W]`. Panics if `dst` is shorter.
    fn store(self, v: Self::V, dst: &mut [T]);
    /// `a + b` per lane.
    fn add(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a * b + c` per lane with a single rounding.
    fn fma(self, a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// `a * b + c` for one element with a single rounding (the instruction set's scalar fused
    /// multiply-add, or the exact software one where it has none).
    fn fma1(self, a: T, b: T, c: T) -> T;
    /// The larger of `a` and `b` per lane, with `-0.0 < +0.0`; unspecified where either is NaN.
    fn max(self, a: Self::V, b: Self::V) -> Self::V;
    /// The smaller of `a` and `b` per lane, with `-0.0 < +0.0`; unspecified where either is NaN.
    fn min(self, a: Self::V, b: Self::V) -> Self::V;
    /// No lane flagged.
    fn no_nan(self) -> Self::M;
    /// `m` with the lanes where `v` is NaN flagged too.
    fn flag_nan(self, m: Self::M, v: Self::V) -> Self::M;
    /// Whether any lane of `m` is flagged.
    fn any(self, m: Self::M) -> bool;
    /// The halving tree over the register's lanes: with `w = W/2, …, 1`,
    /// `lane[j] = lane[j] + lane[j + w]`; returns lane 0.
    fn halving_sum(self, v: Self::V) -> T;
    /// Transposes the `W × W` block in `v[0..W]`: lane `c` of register `r` moves to lane `r`
    /// of register `c`. A pure data movement (no arithmetic). Panics if `v` is shorter than `W`.
    fn transpose(self, v: &mut [Self::V]);
}

#[cfg(test)]
mod tests;
