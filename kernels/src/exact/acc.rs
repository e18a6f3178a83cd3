//! The exact accumulator: a fixed-point integer in 32-bit digits, and its one rounding.

/// Exponent of the weight of bit 0 of the fixed point: every `f32`/`f64` value and every product
/// of two of them is an integer multiple of `2^LSB` (the smallest is `2^-1074 · 2^-1074`).
pub const LSB: i32 = -2176;
/// Number of limbs. Limb `k` has weight `2^(32 k + LSB)`, so the top limb weighs `2^2144`: the
/// largest product (below `2^2048`) times `2^64` terms stays below it.
pub const LIMBS: usize = 136;
/// Most digit additions between two carry normalisations. A limb is below `2^32` in magnitude
/// after a normalisation and every addition adds less than `2^32` to it, so after `FLUSH`
/// additions it is below `2^32 (FLUSH + 1) < 2^62`: no `i64` overflow, and the carries of
/// the normalisation (below `2^30`) cannot overflow it either.
pub const FLUSH: usize = 1 << 29;

/// Special-value flag: a NaN was added.
pub const NAN: u8 = 1;
/// Special-value flag: `+Inf` was added (or a product that is `+Inf`).
pub const POS_INF: u8 = 2;
/// Special-value flag: `-Inf` was added.
pub const NEG_INF: u8 = 4;

/// An exact sum: `Σ limbs[k] · 2^(32 k + LSB)` plus the special values seen.
///
/// Between the public operations it is *canonical*: limbs `0..LIMBS-1` lie in `[0, 2^32)` and the
/// top limb is signed, so two accumulators of the same exact value have the same limbs (the
/// representation of an integer in base `2^32` with a signed top digit is unique). Merging is
/// integer addition, hence associative and commutative; the special flags are or-ed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Superacc {
    pub(crate) limbs: [i64; LIMBS],
    pub(crate) specials: u8,
}

impl Default for Superacc {
    fn default() -> Self {
        Superacc::new()
    }
}

impl Superacc {
    /// The empty sum (exact zero, no special values).
    pub const fn new() -> Superacc {
        Superacc {
            limbs: [0; LIMBS],
            specials: 0,
        }
    }

    /// The canonical limbs, least significant first.
    pub fn limbs(&self) -> &[i64; LIMBS] {
        &self.limbs
    }

    /// The special-value flags ([`NAN`], [`POS_INF`], [`NEG_INF`]).
    pub fn specials(&self) -> u8 {
        self.specials
    }

    /// An accumulator from canonical limbs and flags; an error message unless limbs `0..LIMBS-1`
    /// lie in `[0, 2^32)`, the top limb in `[-2^31, 2^31)` and the flags are known ones.
    pub fn from_parts(limbs: [i64; LIMBS], specials: u8) -> Result<Superacc, &'static str> {
        if limbs[..LIMBS - 1]
            .iter()
            .any(|&l| !(0..1 << 32).contains(&l))
        {
            return Err("a limb below the top one is outside [0, 2^32) (not carry-normalised)");
        }
        if !(-(1 << 31)..1 << 31).contains(&limbs[LIMBS - 1]) {
            return Err("the top limb is outside [-2^31, 2^31)");
        }
        if specials & !(NAN | POS_INF | NEG_INF) != 0 {
            return Err("unknown special-value flags");
        }
        Ok(Superacc { limbs, specials })
    }

    /// Adds `other`'s exact value and special values.
    pub fn merge(&mut self, other: &Superacc) {
        for (a, b) in self.limbs.iter_mut().zip(&other.limbs) {
            *a += *b;
        }
        self.specials |= other.specials;
        self.normalize();
    }

    /// Propagates carries so that limbs `0..LIMBS-1` lie in `[0, 2^32)` (canonical form).
    pub(crate) fn normalize(&mut self) {
        normalize(&mut self.limbs);
    }

    /// Adds a finite `f64` exactly (NaN and infinities must be flagged by the caller).
    #[inline(always)]
    pub(crate) fn add_finite_f64(&mut self, x: f64) {
        add_finite_f64(&mut self.limbs, x);
    }

    /// Records a special value (`x` is NaN or infinite).
    #[inline(always)]
    pub(crate) fn flag(&mut self, x: f64) {
        self.specials |= if x.is_nan() {
            NAN
        } else if x > 0.0 {
            POS_INF
        } else {
            NEG_INF
        };
    }

    /// The exact sum rounded once to the nearest `f32`, ties to even (see [`Superacc::round_f64`]).
    pub fn round_f32(&self) -> f32 {
        match self.round(24, -149, 127) {
            Rounded::Nan => f32::NAN,
            Rounded::Inf(neg) => sign32(f32::INFINITY, neg),
            Rounded::Finite { neg, m, w } => {
                let bits = if m < 1 << 23 {
                    m as u32
                } else {
                    (((w + 23 + 127) as u32) << 23) | (m as u32 & 0x7f_ffff)
                };
                sign32(f32::from_bits(bits), neg)
            }
        }
    }

    /// The exact sum rounded once to the nearest `f64`, ties to even: NaN if a NaN or both
    /// infinities were added, `±Inf` if one infinity was, `±Inf` if the rounded value overflows,
    /// `+0.0` for an exact zero, and otherwise the sign of the exact value (so a nonzero value
    /// that rounds to zero is a zero of its sign).
    pub fn round_f64(&self) -> f64 {
        match self.round(53, -1074, 1023) {
            Rounded::Nan => f64::NAN,
            Rounded::Inf(neg) => sign64(f64::INFINITY, neg),
            Rounded::Finite { neg, m, w } => {
                let bits = if m < 1 << 52 {
                    m
                } else {
                    (((w + 52 + 1023) as u64) << 52) | (m & ((1 << 52) - 1))
                };
                sign64(f64::from_bits(bits), neg)
            }
        }
    }

    /// Rounds to `p` significant bits, the lowest kept bit weighing at least `2^min_lsb`, with
    /// largest exponent `max_exp`: the significand `m` and the weight `2^w` of its bit 0.
    fn round(&self, p: u32, min_lsb: i32, max_exp: i32) -> Rounded {
        let s = self.specials;
        if s & NAN != 0 || s & (POS_INF | NEG_INF) == POS_INF | NEG_INF {
            return Rounded::Nan;
        }
        if s != 0 {
            return Rounded::Inf(s == NEG_INF);
        }
        let neg = self.limbs[LIMBS - 1] < 0;
        let mut mag = self.limbs;
        if neg {
            mag.iter_mut().for_each(|l| *l = -*l);
            normalize(&mut mag);
        }
        // Digits of the magnitude, the top limb split into two more.
        let mut d = [0u32; LIMBS + 1];
        for (dk, l) in d.iter_mut().zip(&mag) {
            *dk = *l as u32;
        }
        d[LIMBS] = (mag[LIMBS - 1] >> 32) as u32;
        let Some(h) = d.iter().rposition(|&x| x != 0) else {
            return Rounded::Finite {
                neg: false,
                m: 0,
                w: min_lsb,
            };
        };
        let top = 32 * h as i32 + 31 - d[h].leading_zeros() as i32; // bit index of the top one
        let low = (top - (p as i32 - 1)).max(min_lsb - LSB); // bit index of the kept bit 0
        // `low >= min_lsb - LSB > 0`, so there is a rounding bit below it.
        let mut m = bits(&d, low, top - low + 1);
        let half = bits(&d, low - 1, 1) == 1;
        if half && (below(&d, low - 1) || m & 1 == 1) {
            m += 1;
        }
        let mut w = low + LSB;
        if m == 1 << p {
            m >>= 1;
            w += 1;
        }
        if m >= 1 << (p - 1) && w + p as i32 - 1 > max_exp {
            return Rounded::Inf(neg);
        }
        Rounded::Finite { neg, m, w }
    }
}

enum Rounded {
    Nan,
    Inf(bool),
    Finite { neg: bool, m: u64, w: i32 },
}

fn sign32(x: f32, neg: bool) -> f32 {
    if neg { -x } else { x }
}

fn sign64(x: f64, neg: bool) -> f64 {
    if neg { -x } else { x }
}

/// `n <= 64` bits of the digit string `d` from bit index `lo` up (`lo >= 0`).
fn bits(d: &[u32], lo: i32, n: i32) -> u64 {
    let mut out = 0u64;
    for i in 0..n {
        let b = (lo + i) as usize;
        out |= u64::from(d[b / 32] >> (b % 32) & 1) << i;
    }
    out
}

/// Whether any bit of `d` below bit index `lo` is set.
fn below(d: &[u32], lo: i32) -> bool {
    let lo = lo as usize;
    let (k, r) = (lo / 32, lo % 32);
    d[..k].iter().any(|&x| x != 0) || d[k] & ((1u32 << r) - 1) != 0
}

/// Carry propagation into canonical form (see [`Superacc`]).
pub(crate) fn normalize(limbs: &mut [i64; LIMBS]) {
    let mut carry = 0i64;
    for l in &mut limbs[..LIMBS - 1] {
        let v = *l + carry;
        *l = v & 0xffff_ffff;
        carry = v >> 32;
    }
    limbs[LIMBS - 1] += carry;
}

/// See [`Superacc::add_scaled`].
#[inline(always)]
pub(crate) fn add_scaled(limbs: &mut [i64; LIMBS], m: u64, e: i32, negative: bool) {
    let pos = (e - LSB) as u32;
    let (k, r) = ((pos / 32) as usize, pos % 32);
    let v = u128::from(m) << r;
    let d = [v as u32, (v >> 32) as u32, (v >> 64) as u32];
    let dst = &mut limbs[k..k + 3];
    if negative {
        for (l, x) in dst.iter_mut().zip(d) {
            *l -= i64::from(x);
        }
    } else {
        for (l, x) in dst.iter_mut().zip(d) {
            *l += i64::from(x);
        }
    }
}

/// Significand, weight exponent of its bit 0, and sign of a finite `f64`.
#[inline(always)]
pub(crate) fn split_f64(x: f64) -> (u64, i32, bool) {
    let b = x.to_bits();
    let f = ((b >> 52) & 0x7ff) as i32;
    let frac = b & ((1 << 52) - 1);
    let m = if f == 0 { frac } else { frac | 1 << 52 };
    (m, f.max(1) - 1075, b >> 63 == 1)
}

/// See [`Superacc::add_finite_f64`].
#[inline(always)]
pub(crate) fn add_finite_f64(limbs: &mut [i64; LIMBS], x: f64) {
    let (m, e, neg) = split_f64(x);
    add_scaled(limbs, m, e, neg);
}
