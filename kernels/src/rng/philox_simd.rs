//! Philox4x32-10 over many blocks at once, on every path.
//!
//! Each register lane holds one 32-bit word of one block in its low 32 bits, so a
//! `32 x 32 -> 64` widening multiply (which reads only the low halves) gives both halves of a
//! Philox product per lane. The high halves of the lanes may hold leftover bits (the low
//! halves of products are not masked); only the low halves are ever read or stored. The body is
//! written once over [`WordLanes`]; only the vocabulary differs per instruction set.

use super::philox::{PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1, philox4x32_10};
use crate::path::{Path, Token};

/// Registers interleaved per step (independent blocks in flight, for instruction-level
/// parallelism). A speed knob only.
const UNROLL: usize = 4;

/// The per-ISA vocabulary of the Philox body: lanes of 64 bits, each holding a 32-bit word.
pub trait WordLanes: Copy {
    /// Blocks per register.
    const N: usize;
    /// A register of `N` words.
    type V: Copy;
    /// All lanes set to `x`.
    fn splat(self, x: u32) -> Self::V;
    /// The low and high 32-bit halves of `base + j` for lane `j` (64-bit wrapping addition).
    fn iota(self, base: u64) -> (Self::V, Self::V);
    /// The high half of `low32(a) * m` per lane (zero-extended), and a lane whose low 32 bits
    /// are the low half of the product (its high bits unspecified).
    fn mulhilo(self, a: Self::V, m: u32) -> (Self::V, Self::V);
    /// Bitwise exclusive or of three registers.
    fn xor3(self, a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// Writes block `j`'s words (the low 32 bits of `c[0..4][j]`) to `out[4j..4j+4]` for every
    /// lane `j`.
    fn store_blocks(self, c: [Self::V; 4], out: &mut [u32]);
}

/// Fills `out` (a multiple of `4 * N * UNROLL` words) with the blocks `first_block ..`.
#[inline(always)]
fn blocks<S: WordLanes>(s: S, key: [u32; 2], stream: u64, first_block: u64, out: &mut [u32]) {
    let mut keys = [key; 10];
    for r in 1..10 {
        keys[r] = [
            keys[r - 1][0].wrapping_add(PHILOX_W0),
            keys[r - 1][1].wrapping_add(PHILOX_W1),
        ];
    }
    let (s_lo, s_hi) = (s.splat(stream as u32), s.splat((stream >> 32) as u32));
    let group = 4 * S::N * UNROLL;
    for (g, chunk) in out.chunks_exact_mut(group).enumerate() {
        let base = first_block.wrapping_add((g * S::N * UNROLL) as u64);
        let mut c: [[S::V; 4]; UNROLL] = core::array::from_fn(|u| {
            let (lo, hi) = s.iota(base.wrapping_add((u * S::N) as u64));
            [lo, hi, s_lo, s_hi]
        });
        for k in keys {
            let (k0, k1) = (s.splat(k[0]), s.splat(k[1]));
            for x in c.iter_mut() {
                let (hi0, lo0) = s.mulhilo(x[0], PHILOX_M0);
                let (hi1, lo1) = s.mulhilo(x[2], PHILOX_M1);
                *x = [s.xor3(hi1, x[1], k0), lo1, s.xor3(hi0, x[3], k1), lo0];
            }
        }
        for (u, x) in c.into_iter().enumerate() {
            s.store_blocks(x, &mut chunk[u * 4 * S::N..]);
        }
    }
}

/// The counter of block `b` of `stream`: the block index in words 0–1, the stream in 2–3.
#[inline]
pub(crate) fn counter(block: u64, stream: u64) -> [u32; 4] {
    [
        block as u32,
        (block >> 32) as u32,
        stream as u32,
        (stream >> 32) as u32,
    ]
}

impl Path {
    /// Words `first_word .. first_word + out.len()` of the Philox4x32-10 stream `stream` under
    /// `key`: word `w` is word `w % 4` of block `w / 4`, whose counter is
    /// `[w/4 low, w/4 high, stream low, stream high]`.
    pub fn philox_words(self, key: [u32; 2], stream: u64, first_word: u64, out: &mut [u32]) {
        let mut w = first_word;
        let mut out = out;
        // Head: words up to the next block boundary, and everything when short.
        while !out.is_empty() && (!w.is_multiple_of(4) || out.len() < 4) {
            let block = philox4x32_10(counter(w / 4, stream), key);
            let first = (w % 4) as usize;
            let take = (4 - first).min(out.len());
            out[..take].copy_from_slice(&block[first..first + take]);
            out = &mut out[take..];
            w += take as u64;
        }
        let lanes = self.philox_group_words();
        let bulk = out.len() / lanes * lanes;
        let (body, tail) = out.split_at_mut(bulk);
        let first_block = w / 4;
        if !body.is_empty() {
            self.philox_bulk(key, stream, first_block, body);
        }
        for (i, t) in tail.chunks_mut(4).enumerate() {
            let block = philox4x32_10(counter(first_block + (bulk / 4 + i) as u64, stream), key);
            t.copy_from_slice(&block[..t.len()]);
        }
    }

    /// Words one SIMD step of this path produces.
    fn philox_group_words(self) -> usize {
        4 * UNROLL
            * match self.0 {
                Token::Scalar(_) => 1,
                #[cfg(target_arch = "x86_64")]
                Token::Sse2(_) => 2,
                #[cfg(target_arch = "x86_64")]
                Token::Avx2(_) => 4,
                #[cfg(target_arch = "x86_64")]
                Token::Avx512(_) => 8,
                #[cfg(target_arch = "aarch64")]
                Token::Neon(_) => 2,
            }
    }

    fn philox_bulk(self, key: [u32; 2], stream: u64, first_block: u64, out: &mut [u32]) {
        match self.0 {
            Token::Scalar(s) => blocks(s, key, stream, first_block, out),
            #[cfg(target_arch = "x86_64")]
            Token::Sse2(s) => blocks(s, key, stream, first_block, out),
            // SAFETY: an `Avx2` token exists only where AVX2 was detected.
            #[cfg(target_arch = "x86_64")]
            Token::Avx2(s) => unsafe { x86::blocks_avx2(s, key, stream, first_block, out) },
            // SAFETY: an `Avx512` token exists only where AVX-512F was detected.
            #[cfg(target_arch = "x86_64")]
            Token::Avx512(s) => unsafe { x86::blocks_avx512(s, key, stream, first_block, out) },
            // SAFETY: NEON is part of the aarch64 baseline.
            #[cfg(target_arch = "aarch64")]
            Token::Neon(s) => unsafe { neon::blocks_neon(s, key, stream, first_block, out) },
        }
    }
}

impl WordLanes for crate::lanes::Scalar {
    const N: usize = 1;
    type V = u64;
    #[inline(always)]
    fn splat(self, x: u32) -> u64 {
        x as u64
    }
    #[inline(always)]
    fn iota(self, base: u64) -> (u64, u64) {
        (base & 0xffff_ffff, base >> 32)
    }
    #[inline(always)]
    fn mulhilo(self, a: u64, m: u32) -> (u64, u64) {
        let p = (a as u32 as u64) * m as u64;
        (p >> 32, p)
    }
    #[inline(always)]
    fn xor3(self, a: u64, b: u64, c: u64) -> u64 {
        a ^ b ^ c
    }
    #[inline(always)]
    fn store_blocks(self, c: [u64; 4], out: &mut [u32]) {
        for (o, w) in out[..4].iter_mut().zip(c) {
            *o = w as u32;
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{WordLanes, blocks};
    use crate::lanes::x86::{Avx2, Avx512, Sse2};
    use core::arch::x86_64::*;

    #[target_feature(enable = "avx2")]
    pub(super) fn blocks_avx2(s: Avx2, key: [u32; 2], stream: u64, first: u64, out: &mut [u32]) {
        blocks(s, key, stream, first, out)
    }

    #[target_feature(enable = "avx512f,avx2")]
    pub(super) fn blocks_avx512(
        s: Avx512,
        key: [u32; 2],
        stream: u64,
        first: u64,
        out: &mut [u32],
    ) {
        blocks(s, key, stream, first, out)
    }

    impl WordLanes for Sse2 {
        const N: usize = 2;
        type V = __m128i;
        #[inline(always)]
        fn splat(self, x: u32) -> __m128i {
            // SAFETY: SSE2 is baseline on x86_64.
            unsafe { _mm_set1_epi64x(x as i64) }
        }
        #[inline(always)]
        fn iota(self, base: u64) -> (__m128i, __m128i) {
            // SAFETY: SSE2 is baseline on x86_64.
            unsafe {
                let v = _mm_add_epi64(_mm_set1_epi64x(base as i64), _mm_set_epi64x(1, 0));
                (
                    _mm_and_si128(v, _mm_set1_epi64x(0xffff_ffff)),
                    _mm_srli_epi64::<32>(v),
                )
            }
        }
        #[inline(always)]
        fn mulhilo(self, a: __m128i, m: u32) -> (__m128i, __m128i) {
            // SAFETY: SSE2 is baseline on x86_64.
            unsafe {
                let p = _mm_mul_epu32(a, _mm_set1_epi64x(m as i64));
                (_mm_srli_epi64::<32>(p), p)
            }
        }
        #[inline(always)]
        fn xor3(self, a: __m128i, b: __m128i, c: __m128i) -> __m128i {
            // SAFETY: SSE2 is baseline on x86_64.
            unsafe { _mm_xor_si128(_mm_xor_si128(a, b), c) }
        }
        #[inline(always)]
        fn store_blocks(self, c: [__m128i; 4], out: &mut [u32]) {
            assert!(out.len() >= 8);
            // SAFETY: SSE2 is baseline; `out` holds at least 8 words (checked above).
            unsafe {
                let low = _mm_set1_epi64x(0xffff_ffff);
                let x01 = _mm_or_si128(_mm_and_si128(c[0], low), _mm_slli_epi64::<32>(c[1]));
                let x23 = _mm_or_si128(_mm_and_si128(c[2], low), _mm_slli_epi64::<32>(c[3]));
                let p = out.as_mut_ptr() as *mut __m128i;
                _mm_storeu_si128(p, _mm_unpacklo_epi64(x01, x23));
                _mm_storeu_si128(p.add(1), _mm_unpackhi_epi64(x01, x23));
            }
        }
    }

    impl WordLanes for Avx2 {
        const N: usize = 4;
        type V = __m256i;
        #[inline(always)]
        fn splat(self, x: u32) -> __m256i {
            // SAFETY: the Avx2 token proves AVX2.
            unsafe { _mm256_set1_epi64x(x as i64) }
        }
        #[inline(always)]
        fn iota(self, base: u64) -> (__m256i, __m256i) {
            // SAFETY: the Avx2 token proves AVX2.
            unsafe {
                let v = _mm256_add_epi64(
                    _mm256_set1_epi64x(base as i64),
                    _mm256_set_epi64x(3, 2, 1, 0),
                );
                (
                    _mm256_and_si256(v, _mm256_set1_epi64x(0xffff_ffff)),
                    _mm256_srli_epi64::<32>(v),
                )
            }
        }
        #[inline(always)]
        fn mulhilo(self, a: __m256i, m: u32) -> (__m256i, __m256i) {
            // SAFETY: the Avx2 token proves AVX2.
            unsafe {
                let p = _mm256_mul_epu32(a, _mm256_set1_epi64x(m as i64));
                (_mm256_srli_epi64::<32>(p), p)
            }
        }
        #[inline(always)]
        fn xor3(self, a: __m256i, b: __m256i, c: __m256i) -> __m256i {
            // SAFETY: the Avx2 token proves AVX2.
            unsafe { _mm256_xor_si256(_mm256_xor_si256(a, b), c) }
        }
        #[inline(always)]
        fn store_blocks(self, c: [__m256i; 4], out: &mut [u32]) {
            assert!(out.len() >= 16);
            // SAFETY: the token proves AVX2; `out` holds at least 16 words (checked above).
            unsafe {
                // Odd 32-bit elements from the shifted word: low halves of c[0], c[1] paired.
                let x01 = _mm256_blend_epi32::<0xAA>(c[0], _mm256_slli_epi64::<32>(c[1]));
                let x23 = _mm256_blend_epi32::<0xAA>(c[2], _mm256_slli_epi64::<32>(c[3]));
                let lo = _mm256_unpacklo_epi64(x01, x23); // blocks 0 and 2
                let hi = _mm256_unpackhi_epi64(x01, x23); // blocks 1 and 3
                let p = out.as_mut_ptr() as *mut __m256i;
                _mm256_storeu_si256(p, _mm256_permute2x128_si256::<0x20>(lo, hi));
                _mm256_storeu_si256(p.add(1), _mm256_permute2x128_si256::<0x31>(lo, hi));
            }
        }
    }

    impl WordLanes for Avx512 {
        const N: usize = 8;
        type V = __m512i;
        #[inline(always)]
        fn splat(self, x: u32) -> __m512i {
            // SAFETY: the Avx512 token proves AVX-512F.
            unsafe { _mm512_set1_epi64(x as i64) }
        }
        #[inline(always)]
        fn iota(self, base: u64) -> (__m512i, __m512i) {
            // SAFETY: the Avx512 token proves AVX-512F.
            unsafe {
                let v = _mm512_add_epi64(
                    _mm512_set1_epi64(base as i64),
                    _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0),
                );
                (
                    _mm512_and_si512(v, _mm512_set1_epi64(0xffff_ffff)),
                    _mm512_srli_epi64::<32>(v),
                )
            }
        }
        #[inline(always)]
        fn mulhilo(self, a: __m512i, m: u32) -> (__m512i, __m512i) {
            // SAFETY: the Avx512 token proves AVX-512F.
            unsafe {
                let p = _mm512_mul_epu32(a, _mm512_set1_epi64(m as i64));
                (_mm512_srli_epi64::<32>(p), p)
            }
        }
        #[inline(always)]
        fn xor3(self, a: __m512i, b: __m512i, c: __m512i) -> __m512i {
            // One ternary-logic instruction: truth table 0x96 is a ^ b ^ c.
            // SAFETY: the Avx512 token proves AVX-512F.
            unsafe { _mm512_ternarylogic_epi64::<0x96>(a, b, c) }
        }
        #[inline(always)]
        fn store_blocks(self, c: [__m512i; 4], out: &mut [u32]) {
            assert!(out.len() >= 32);
            // SAFETY: the token proves AVX-512F; `out` holds at least 32 words (checked above).
            unsafe {
                // Odd 32-bit elements from the shifted word: low halves of c[0], c[1] paired.
                let x01 = _mm512_mask_blend_epi32(0xAAAA, c[0], _mm512_slli_epi64::<32>(c[1]));
                let x23 = _mm512_mask_blend_epi32(0xAAAA, c[2], _mm512_slli_epi64::<32>(c[3]));
                let first = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
                let second = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
                let p = out.as_mut_ptr() as *mut __m512i;
                _mm512_storeu_si512(p, _mm512_permutex2var_epi64(x01, first, x23));
                _mm512_storeu_si512(p.add(1), _mm512_permutex2var_epi64(x01, second, x23));
            }
        }
    }
}

#[cfg(target_arch = "aarch64")]
mod neon {
    use super::{WordLanes, blocks};
    use crate::lanes::neon::Neon;
    use core::arch::aarch64::*;

    #[target_feature(enable = "neon")]
    pub(super) fn blocks_neon(s: Neon, key: [u32; 2], stream: u64, first: u64, out: &mut [u32]) {
        blocks(s, key, stream, first, out)
    }

    impl WordLanes for Neon {
        const N: usize = 2;
        type V = uint64x2_t;
        #[inline(always)]
        fn splat(self, x: u32) -> uint64x2_t {
            // SAFETY: NEON is baseline on aarch64.
            unsafe { vdupq_n_u64(x as u64) }
        }
        #[inline(always)]
        fn iota(self, base: u64) -> (uint64x2_t, uint64x2_t) {
            // SAFETY: NEON is baseline on aarch64.
            unsafe {
                let v = vaddq_u64(
                    vdupq_n_u64(base),
                    vcombine_u64(vcreate_u64(0), vcreate_u64(1)),
                );
                (vandq_u64(v, vdupq_n_u64(0xffff_ffff)), vshrq_n_u64::<32>(v))
            }
        }
        #[inline(always)]
        fn mulhilo(self, a: uint64x2_t, m: u32) -> (uint64x2_t, uint64x2_t) {
            // SAFETY: NEON is baseline on aarch64.
            unsafe {
                let p = vmull_u32(vmovn_u64(a), vdup_n_u32(m));
                (vshrq_n_u64::<32>(p), p)
            }
        }
        #[inline(always)]
        fn xor3(self, a: uint64x2_t, b: uint64x2_t, c: uint64x2_t) -> uint64x2_t {
            // SAFETY: NEON is baseline on aarch64.
            unsafe { veorq_u64(veorq_u64(a, b), c) }
        }
        #[inline(always)]
        fn store_blocks(self, c: [uint64x2_t; 4], out: &mut [u32]) {
            assert!(out.len() >= 8);
            // SAFETY: NEON is baseline; `out` holds at least 8 words (checked above).
            unsafe {
                // Shift left and insert: c[1] << 32 over the low half of c[0].
                let x01 = vsliq_n_u64::<32>(c[0], c[1]);
                let x23 = vsliq_n_u64::<32>(c[2], c[3]);
                let b0 = vcombine_u64(vget_low_u64(x01), vget_low_u64(x23));
                let b1 = vcombine_u64(vget_high_u64(x01), vget_high_u64(x23));
                vst1q_u32(out.as_mut_ptr(), vreinterpretq_u32_u64(b0));
                vst1q_u32(out.as_mut_ptr().add(4), vreinterpretq_u32_u64(b1));
            }
        }
    }
}
