//! x86_64 lane vocabularies: SSE2 (software FMA), AVX2+FMA and AVX-512F.
//!
//! Every `unsafe` block here executes an intrinsic of the token's own instruction set; the
//! tokens are created only after detection (or, for SSE2, exist on every x86_64 CPU).

use super::Lanes;
use crate::Float;
use core::arch::x86_64::*;

/// Token of the SSE2 path (x86_64 baseline).
#[derive(Clone, Copy, Debug)]
pub struct Sse2(());

impl Sse2 {
    pub(crate) fn new() -> Self {
        Sse2(())
    }
}

/// Token of the AVX2+FMA path.
#[derive(Clone, Copy, Debug)]
pub struct Avx2(());

impl Avx2 {
    pub(crate) fn new() -> Option<Self> {
        crate::Isa::Avx2.is_supported().then_some(Avx2(()))
    }
}

/// Token of the AVX-512F path (which also requires AVX2 and FMA).
#[derive(Clone, Copy, Debug)]
pub struct Avx512(());

impl Avx512 {
    pub(crate) fn new() -> Option<Self> {
        (crate::Isa::Avx512.is_supported() && crate::Isa::Avx2.is_supported()).then_some(Avx512(()))
    }
}

/// Applies the exact software FMA lane by lane (the SSE2 path has no hardware FMA).
#[inline(always)]
fn soft_fma_lanes<T: Float, const W: usize>(a: [T; W], b: [T; W], c: [T; W]) -> [T; W] {
    core::array::from_fn(|i| T::soft_fma(a[i], b[i], c[i]))
}

// ---------------------------------------------------------------- SSE2, f32
impl Lanes<f32> for Sse2 {
    const W: usize = 4;
    type V = __m128;
    type M = __m128;
    type Acc = [__m128; 32];

    #[inline(always)]
    fn splat(self, x: f32) -> __m128 {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_set1_ps(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f32]) -> __m128 {
        assert!(src.len() >= 4);
        // SAFETY: SSE2 is baseline; `src` holds at least 4 elements (checked above).
        unsafe { _mm_loadu_ps(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: __m128, dst: &mut [f32]) {
        assert!(dst.len() >= 4);
        // SAFETY: SSE2 is baseline; `dst` holds at least 4 elements (checked above).
        unsafe { _mm_storeu_ps(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: __m128, b: __m128) -> __m128 {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_add_ps(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m128, b: __m128, c: __m128) -> __m128 {
        let mut x = [[0.0f32; 4]; 3];
        self.store(a, &mut x[0]);
        self.store(b, &mut x[1]);
        self.store(c, &mut x[2]);
        self.load(&soft_fma_lanes(x[0], x[1], x[2]))
    }
    #[inline(always)]
    fn fma1(self, a: f32, b: f32, c: f32) -> f32 {
        crate::softfma::fma_f32(a, b, c)
    }
    #[inline(always)]
    fn max(self, a: __m128, b: __m128) -> __m128 {
        // maxps returns its second operand on ties, so the two orders disagree only on
        // (+0, -0), where the bitwise AND picks +0.
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_and_ps(_mm_max_ps(a, b), _mm_max_ps(b, a)) }
    }
    #[inline(always)]
    fn min(self, a: __m128, b: __m128) -> __m128 {
        // As `max`; the bitwise OR picks -0.
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_or_ps(_mm_min_ps(a, b), _mm_min_ps(b, a)) }
    }
    #[inline(always)]
    fn no_nan(self) -> __m128 {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_setzero_ps() }
    }
    #[inline(always)]
    fn flag_nan(self, m: __m128, v: __m128) -> __m128 {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_or_ps(m, _mm_cmpunord_ps(v, v)) }
    }
    #[inline(always)]
    fn any(self, m: __m128) -> bool {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_movemask_ps(m) != 0 }
    }
    #[inline(always)]
    fn halving_sum(self, v: __m128) -> f32 {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe {
            let v = _mm_add_ps(v, _mm_movehl_ps(v, v)); // [a0+a2, a1+a3, ..]
            _mm_cvtss_f32(_mm_add_ss(v, _mm_shuffle_ps::<0b01_01_01_01>(v, v)))
        }
    }
    #[inline(always)]
    fn transpose(self, v: &mut [__m128]) {
        let [a, b, c, d] = [v[0], v[1], v[2], v[3]];
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe {
            let (ab_lo, cd_lo) = (_mm_unpacklo_ps(a, b), _mm_unpacklo_ps(c, d));
            let (ab_hi, cd_hi) = (_mm_unpackhi_ps(a, b), _mm_unpackhi_ps(c, d));
            v[0] = _mm_movelh_ps(ab_lo, cd_lo);
            v[1] = _mm_movehl_ps(cd_lo, ab_lo);
            v[2] = _mm_movelh_ps(ab_hi, cd_hi);
            v[3] = _mm_movehl_ps(cd_hi, ab_hi);
        }
    }
}

// ---------------------------------------------------------------- SSE2, f64
impl Lanes<f64> for Sse2 {
    const W: usize = 2;
    type V = __m128d;
    type M = __m128d;
    type Acc = [__m128d; 32];

    #[inline(always)]
    fn splat(self, x: f64) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_set1_pd(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f64]) -> __m128d {
        assert!(src.len() >= 2);
        // SAFETY: SSE2 is baseline; `src` holds at least 2 elements (checked above).
        unsafe { _mm_loadu_pd(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: __m128d, dst: &mut [f64]) {
        assert!(dst.len() >= 2);
        // SAFETY: SSE2 is baseline; `dst` holds at least 2 elements (checked above).
        unsafe { _mm_storeu_pd(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_add_pd(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m128d, b: __m128d, c: __m128d) -> __m128d {
        let mut x = [[0.0f64; 2]; 3];
        self.store(a, &mut x[0]);
        self.store(b, &mut x[1]);
        self.store(c, &mut x[2]);
        self.load(&soft_fma_lanes(x[0], x[1], x[2]))
    }
    #[inline(always)]
    fn fma1(self, a: f64, b: f64, c: f64) -> f64 {
        crate::softfma::fma_f64(a, b, c)
    }
    #[inline(always)]
    fn max(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64. (AND picks +0 on ties of zeros, see f32.)
        unsafe { _mm_and_pd(_mm_max_pd(a, b), _mm_max_pd(b, a)) }
    }
    #[inline(always)]
    fn min(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64. (OR picks -0 on ties of zeros.)
        unsafe { _mm_or_pd(_mm_min_pd(a, b), _mm_min_pd(b, a)) }
    }
    #[inline(always)]
    fn no_nan(self) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_setzero_pd() }
    }
    #[inline(always)]
    fn flag_nan(self, m: __m128d, v: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_or_pd(m, _mm_cmpunord_pd(v, v)) }
    }
    #[inline(always)]
    fn any(self, m: __m128d) -> bool {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_movemask_pd(m) != 0 }
    }
    #[inline(always)]
    fn halving_sum(self, v: __m128d) -> f64 {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v))) }
    }
    #[inline(always)]
    fn transpose(self, v: &mut [__m128d]) {
        let [a, b] = [v[0], v[1]];
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe {
            v[0] = _mm_unpacklo_pd(a, b);
            v[1] = _mm_unpackhi_pd(a, b);
        }
    }
}

// ---------------------------------------------------------------- AVX2, f32
impl Lanes<f32> for Avx2 {
    const W: usize = 8;
    type V = __m256;
    type M = __m256;
    type Acc = [__m256; 16];

    #[inline(always)]
    fn splat(self, x: f32) -> __m256 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_set1_ps(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f32]) -> __m256 {
        assert!(src.len() >= 8);
        // SAFETY: the token proves AVX2; `src` holds at least 8 elements (checked above).
        unsafe { _mm256_loadu_ps(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: __m256, dst: &mut [f32]) {
        assert!(dst.len() >= 8);
        // SAFETY: the token proves AVX2; `dst` holds at least 8 elements (checked above).
        unsafe { _mm256_storeu_ps(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_add_ps(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m256, b: __m256, c: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_fmadd_ps(a, b, c) }
    }
    #[inline(always)]
    fn fma1(self, a: f32, b: f32, c: f32) -> f32 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c))) }
    }
    #[inline(always)]
    fn max(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX2+FMA. (AND picks +0 on ties of zeros.)
        unsafe { _mm256_and_ps(_mm256_max_ps(a, b), _mm256_max_ps(b, a)) }
    }
    #[inline(always)]
    fn min(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX2+FMA. (OR picks -0 on ties of zeros.)
        unsafe { _mm256_or_ps(_mm256_min_ps(a, b), _mm256_min_ps(b, a)) }
    }
    #[inline(always)]
    fn no_nan(self) -> __m256 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_setzero_ps() }
    }
    #[inline(always)]
    fn flag_nan(self, m: __m256, v: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_or_ps(m, _mm256_cmp_ps::<_CMP_UNORD_Q>(v, v)) }
    }
    #[inline(always)]
    fn any(self, m: __m256) -> bool {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_movemask_ps(m) != 0 }
    }
    #[inline(always)]
    fn halving_sum(self, v: __m256) -> f32 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        let half = unsafe { _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v)) };
        Sse2::new().halving_sum(half)
    }
    #[inline(always)]
    fn transpose(self, v: &mut [__m256]) {
        assert!(v.len() >= 8);
        // SAFETY: the Avx2 token proves AVX2. Within each 128-bit half, rows 4i..4i+3 are
        // transposed (unpack by 32, then by 64 bits); the halves are then exchanged.
        unsafe {
            let mut q = [_mm256_setzero_pd(); 8];
            for i in 0..2 {
                let r = |k: usize| v[4 * i + k];
                let (t0, t1) = (
                    _mm256_unpacklo_ps(r(0), r(1)),
                    _mm256_unpackhi_ps(r(0), r(1)),
                );
                let (t2, t3) = (
                    _mm256_unpacklo_ps(r(2), r(3)),
                    _mm256_unpackhi_ps(r(2), r(3)),
                );
                let d = |x: __m256| _mm256_castps_pd(x);
                q[4 * i] = _mm256_unpacklo_pd(d(t0), d(t2));
                q[4 * i + 1] = _mm256_unpackhi_pd(d(t0), d(t2));
                q[4 * i + 2] = _mm256_unpacklo_pd(d(t1), d(t3));
                q[4 * i + 3] = _mm256_unpackhi_pd(d(t1), d(t3));
            }
            for j in 0..4 {
                let (x, y) = (_mm256_castpd_ps(q[j]), _mm256_castpd_ps(q[4 + j]));
                v[j] = _mm256_permute2f128_ps::<0x20>(x, y);
                v[4 + j] = _mm256_permute2f128_ps::<0x31>(x, y);
            }
        }
    }
}

// ---------------------------------------------------------------- AVX2, f64
impl Lanes<f64> for Avx2 {
    const W: usize = 4;
    type V = __m256d;
    type M = __m256d;
    type Acc = [__m256d; 16];

    #[inline(always)]
    fn splat(self, x: f64) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_set1_pd(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f64]) -> __m256d {
        assert!(src.len() >= 4);
        // SAFETY: the token proves AVX2; `src` holds at least 4 elements (checked above).
        unsafe { _mm256_loadu_pd(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: __m256d, dst: &mut [f64]) {
        assert!(dst.len() >= 4);
        // SAFETY: the token proves AVX2; `dst` holds at least 4 elements (checked above).
        unsafe { _mm256_storeu_pd(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_add_pd(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_fmadd_pd(a, b, c) }
    }
    #[inline(always)]
    fn fma1(self, a: f64, b: f64, c: f64) -> f64 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(a), _mm_set_sd(b), _mm_set_sd(c))) }
    }
    #[inline(always)]
    fn max(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2+FMA. (AND picks +0 on ties of zeros.)
        unsafe { _mm256_and_pd(_mm256_max_pd(a, b), _mm256_max_pd(b, a)) }
    }
    #[inline(always)]
    fn min(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2+FMA. (OR picks -0 on ties of zeros.)
        unsafe { _mm256_or_pd(_mm256_min_pd(a, b), _mm256_min_pd(b, a)) }
    }
    #[inline(always)]
    fn no_nan(self) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_setzero_pd() }
    }
    #[inline(always)]
    fn flag_nan(self, m: __m256d, v: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_or_pd(m, _mm256_cmp_pd::<_CMP_UNORD_Q>(v, v)) }
    }
    #[inline(always)]
    fn any(self, m: __m256d) -> bool {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        unsafe { _mm256_movemask_pd(m) != 0 }
    }
    #[inline(always)]
    fn halving_sum(self, v: __m256d) -> f64 {
        // SAFETY: the Avx2 token proves AVX2+FMA.
        let half = unsafe { _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd::<1>(v)) };
        Sse2::new().halving_sum(half)
    }
    #[inline(always)]
    fn transpose(self, v: &mut [__m256d]) {
        let [a, b, c, d] = [v[0], v[1], v[2], v[3]];
        // SAFETY: the Avx2 token proves AVX2.
        unsafe {
            let (t0, t1) = (_mm256_unpacklo_pd(a, b), _mm256_unpackhi_pd(a, b));
            let (t2, t3) = (_mm256_unpacklo_pd(c, d), _mm256_unpackhi_pd(c, d));
            v[0] = _mm256_permute2f128_pd::<0x20>(t0, t2);
            v[1] = _mm256_permute2f128_pd::<0x20>(t1, t3);
            v[2] = _mm256_permute2f128_pd::<0x31>(t0, t2);
            v[3] = _mm256_permute2f128_pd::<0x31>(t1, t3);
        }
    }
}

// ---------------------------------------------------------------- AVX-512F, f32
impl Lanes<f32> for Avx512 {
    const W: usize = 16;
    type V = __m512;
    type M = u16;
    type Acc = [__m512; 8];

    #[inline(always)]
    fn splat(self, x: f32) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_set1_ps(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f32]) -> __m512 {
        assert!(src.len() >= 16);
        // SAFETY: the token proves AVX-512F; `src` holds at least 16 elements (checked above).
        unsafe { _mm512_loadu_ps(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: __m512, dst: &mut [f32]) {
        assert!(dst.len() >= 16);
        // SAFETY: the token proves AVX-512F; `dst` holds at least 16 elements (checked above).
        unsafe { _mm512_storeu_ps(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_add_ps(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m512, b: __m512, c: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_fmadd_ps(a, b, c) }
    }
    #[inline(always)]
    fn fma1(self, a: f32, b: f32, c: f32) -> f32 {
        // SAFETY: the Avx512 token proves AVX-512F, AVX2 and FMA.
        unsafe { _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c))) }
    }
    #[inline(always)]
    fn max(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F. (AND picks +0 on ties of zeros.)
        unsafe {
            let (x, y) = (_mm512_max_ps(a, b), _mm512_max_ps(b, a));
            _mm512_castsi512_ps(_mm512_and_si512(
                _mm512_castps_si512(x),
                _mm512_castps_si512(y),
            ))
        }
    }
    #[inline(always)]
    fn min(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F. (OR picks -0 on ties of zeros.)
        unsafe {
            let (x, y) = (_mm512_min_ps(a, b), _mm512_min_ps(b, a));
            _mm512_castsi512_ps(_mm512_or_si512(
                _mm512_castps_si512(x),
                _mm512_castps_si512(y),
            ))
        }
    }
    #[inline(always)]
    fn no_nan(self) -> u16 {
        0
    }
    #[inline(always)]
    fn flag_nan(self, m: u16, v: __m512) -> u16 {
        // SAFETY: the Avx512 token proves AVX-512F.
        m | unsafe { _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(v, v) }
    }
    #[inline(always)]
    fn any(self, m: u16) -> bool {
        m != 0
    }
    #[inline(always)]
    fn halving_sum(self, v: __m512) -> f32 {
        // SAFETY: the Avx512 token proves AVX-512F (and AVX2).
        let half = unsafe {
            let hi = _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(v)));
            _mm256_add_ps(_mm512_castps512_ps256(v), hi)
        };
        Avx2(()).halving_sum(half)
    }
    #[inline(always)]
    fn transpose(self, v: &mut [__m512]) {
        assert!(v.len() >= 16);
        // SAFETY: the Avx512 token proves AVX-512F. Within each 128-bit quarter, rows
        // 4i..4i+3 are transposed (unpack by 32, then by 64 bits); quarters are then gathered
        // across the four row groups by two rounds of 128-bit shuffles.
        unsafe {
            let d = |x: __m512| _mm512_castps_pd(x);
            let mut q = [_mm512_setzero_pd(); 16];
            for i in 0..4 {
                let r = |k: usize| v[4 * i + k];
                let (t0, t1) = (
                    _mm512_unpacklo_ps(r(0), r(1)),
                    _mm512_unpackhi_ps(r(0), r(1)),
                );
                let (t2, t3) = (
                    _mm512_unpacklo_ps(r(2), r(3)),
                    _mm512_unpackhi_ps(r(2), r(3)),
                );
                q[4 * i] = _mm512_unpacklo_pd(d(t0), d(t2));
                q[4 * i + 1] = _mm512_unpackhi_pd(d(t0), d(t2));
                q[4 * i + 2] = _mm512_unpacklo_pd(d(t1), d(t3));
                q[4 * i + 3] = _mm512_unpackhi_pd(d(t1), d(t3));
            }
            // q[4i + j], quarter L: column 4L + j of rows 4i .. 4i+3.
            for j in 0..4 {
                let p = |k: usize| _mm512_castpd_ps(q[4 * k + j]);
                let (u0, u1) = (
                    _mm512_shuffle_f32x4::<0x88>(p(0), p(1)),
                    _mm512_shuffle_f32x4::<0xDD>(p(0), p(1)),
                );
                let (w0, w1) = (
                    _mm512_shuffle_f32x4::<0x88>(p(2), p(3)),
                    _mm512_shuffle_f32x4::<0xDD>(p(2), p(3)),
                );
                v[j] = _mm512_shuffle_f32x4::<0x88>(u0, w0);
                v[4 + j] = _mm512_shuffle_f32x4::<0x88>(u1, w1);
                v[8 + j] = _mm512_shuffle_f32x4::<0xDD>(u0, w0);
                v[12 + j] = _mm512_shuffle_f32x4::<0xDD>(u1, w1);
            }
        }
    }
}

// ---------------------------------------------------------------- AVX-512F, f64
impl Lanes<f64> for Avx512 {
    const W: usize = 8;
    type V = __m512d;
    type M = u8;
    type Acc = [__m512d; 8];

    #[inline(always)]
    fn splat(self, x: f64) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_set1_pd(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f64]) -> __m512d {
        assert!(src.len() >= 8);
        // SAFETY: the token proves AVX-512F; `src` holds at least 8 elements (checked above).
        unsafe { _mm512_loadu_pd(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: __m512d, dst: &mut [f64]) {
        assert!(dst.len() >= 8);
        // SAFETY: the token proves AVX-512F; `dst` holds at least 8 elements (checked above).
        unsafe { _mm512_storeu_pd(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_add_pd(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m512d, b: __m512d, c: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_fmadd_pd(a, b, c) }
    }
    #[inline(always)]
    fn fma1(self, a: f64, b: f64, c: f64) -> f64 {
        // SAFETY: the Avx512 token proves AVX-512F, AVX2 and FMA.
        unsafe { _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(a), _mm_set_sd(b), _mm_set_sd(c))) }
    }
    #[inline(always)]
    fn max(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F. (AND picks +0 on ties of zeros.)
        unsafe {
            let (x, y) = (_mm512_max_pd(a, b), _mm512_max_pd(b, a));
            _mm512_castsi512_pd(_mm512_and_si512(
                _mm512_castpd_si512(x),
                _mm512_castpd_si512(y),
            ))
        }
    }
    #[inline(always)]
    fn min(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F. (OR picks -0 on ties of zeros.)
        unsafe {
            let (x, y) = (_mm512_min_pd(a, b), _mm512_min_pd(b, a));
            _mm512_castsi512_pd(_mm512_or_si512(
                _mm512_castpd_si512(x),
                _mm512_castpd_si512(y),
            ))
        }
    }
    #[inline(always)]
    fn no_nan(self) -> u8 {
        0
    }
    #[inline(always)]
    fn flag_nan(self, m: u8, v: __m512d) -> u8 {
        // SAFETY: the Avx512 token proves AVX-512F.
        m | unsafe { _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(v, v) }
    }
    #[inline(always)]
    fn any(self, m: u8) -> bool {
        m != 0
    }
    #[inline(always)]
    fn halving_sum(self, v: __m512d) -> f64 {
        // SAFETY: the Avx512 token proves AVX-512F (and AVX2).
        let half =
            unsafe { _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd::<1>(v)) };
        Avx2(()).halving_sum(half)
    }
    #[inline(always)]
    fn transpose(self, v: &mut [__m512d]) {
        assert!(v.len() >= 8);
        // SAFETY: the Avx512 token proves AVX-512F. Within each 128-bit quarter, row pairs are
        // transposed (unpack by 64 bits); quarters are then gathered across the four row pairs
        // by two rounds of 128-bit shuffles.
        unsafe {
            let mut t = [_mm512_setzero_pd(); 8];
            for i in 0..4 {
                t[2 * i] = _mm512_unpacklo_pd(v[2 * i], v[2 * i + 1]);
                t[2 * i + 1] = _mm512_unpackhi_pd(v[2 * i], v[2 * i + 1]);
            }
            // t[2i + j], quarter L: column 2L + j of rows 2i, 2i+1.
            for j in 0..2 {
                let p = |k: usize| t[2 * k + j];
                let (u0, u1) = (
                    _mm512_shuffle_f64x2::<0x88>(p(0), p(1)),
                    _mm512_shuffle_f64x2::<0xDD>(p(0), p(1)),
                );
                let (w0, w1) = (
                    _mm512_shuffle_f64x2::<0x88>(p(2), p(3)),
                    _mm512_shuffle_f64x2::<0xDD>(p(2), p(3)),
                );
                v[j] = _mm512_shuffle_f64x2::<0x88>(u0, w0);
                v[2 + j] = _mm512_shuffle_f64x2::<0x88>(u1, w1);
                v[4 + j] = _mm512_shuffle_f64x2::<0xDD>(u0, w0);
                v[6 + j] = _mm512_shuffle_f64x2::<0xDD>(u1, w1);
            }
        }
    }
}
