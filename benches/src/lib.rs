//! Peers for the detkern benchmarks: the fastest non-deterministic SIMD sum and dot product we
//! could write (independent accumulators, unrolled, AVX-512 with 4, 8 or 16 accumulators, or
//! AVX2, checked at run time),
//! a streaming memory read for the bandwidth reference, and 64-byte aligned test buffers.
//!
//! Nothing here is deterministic across ISAs or thread counts, which is the point: these are the
//! speed a reduction can reach when it is free to choose any order.

#![deny(unsafe_op_in_unsafe_fn)]

use rayon::prelude::*;

pub mod matmul_peers;
pub mod plain_mlp;

pub mod report;

/// One non-deterministic peer: an instruction set and a number of independent accumulators.
///
/// Which count is fastest depends on where the data sits: on the machine of docs/PERFORMANCE.md
/// 8 AVX-512 accumulators win in L1 and 4 in L2, so the benches run all of them and compare
/// detkern with the fastest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simd {
    /// AVX-512F with 4 accumulators (2 registers loaded per accumulator and loop trip).
    Avx512x4,
    /// AVX-512F with 8 accumulators.
    Avx512x8,
    /// AVX-512F with 16 accumulators.
    Avx512x16,
    /// AVX2 + FMA with 8 accumulators (16 ymm registers in all).
    Avx2,
    /// Plain Rust (what the compiler makes of an 8-way unrolled loop for the baseline target).
    Portable,
}

impl Simd {
    /// Every peer, in the order the benches list them.
    pub const ALL: [Simd; 5] = [
        Simd::Avx512x4,
        Simd::Avx512x8,
        Simd::Avx512x16,
        Simd::Avx2,
        Simd::Portable,
    ];

    /// The name in bench ids and tables.
    pub fn name(self) -> &'static str {
        match self {
            Simd::Avx512x4 => "nondet_avx512_a4",
            Simd::Avx512x8 => "nondet_avx512_a8",
            Simd::Avx512x16 => "nondet_avx512_a16",
            Simd::Avx2 => "nondet_avx2",
            Simd::Portable => "nondet_portable",
        }
    }

    /// A good default for this CPU: AVX-512 with 8 accumulators, else AVX2, else portable.
    pub fn best() -> Simd {
        [Simd::Avx512x8, Simd::Avx2]
            .into_iter()
            .find(|s| s.supported().is_some())
            .unwrap_or(Simd::Portable)
    }

    /// The SIMD peers this CPU supports (not the portable one).
    pub fn supported_simd() -> Vec<Simd> {
        Simd::ALL
            .into_iter()
            .filter(|s| *s != Simd::Portable && s.supported().is_some())
            .collect()
    }

    /// `Some(self)` if this CPU supports it.
    pub fn supported(self) -> Option<Simd> {
        let ok = match self {
            Simd::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512x4 | Simd::Avx512x8 | Simd::Avx512x16 => {
                std::is_x86_feature_detected!("avx512f")
            }
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => {
                std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        };
        ok.then_some(self)
    }
}

/// A buffer whose slice starts on a 64-byte boundary (a cache line), so that no load of any
/// contestant straddles two lines merely because of where the allocator put the data.
pub struct Aligned<T> {
    buf: Vec<T>,
    off: usize,
    len: usize,
}

impl<T: Copy + Default> Aligned<T> {
    /// `len` elements made by `f(i)`.
    pub fn from_fn(len: usize, f: impl Fn(usize) -> T) -> Self {
        let pad = 64 / std::mem::size_of::<T>();
        let mut buf = vec![T::default(); len + pad];
        let off = buf.as_ptr().align_offset(64);
        assert!(off < pad, "cannot align");
        for (i, x) in buf[off..off + len].iter_mut().enumerate() {
            *x = f(i);
        }
        Aligned { buf, off, len }
    }

    /// The aligned elements.
    pub fn as_slice(&self) -> &[T] {
        &self.buf[self.off..self.off + self.len]
    }
}

// ------------------------------------------------------------------------------------------------
// Non-deterministic single-thread kernels.

/// Non-deterministic single-thread sum of `x` with the given SIMD set.
///
/// # Panics
/// If this CPU lacks `simd` (check with [`Simd::supported`]).
pub fn sum_f32(simd: Simd, x: &[f32]) -> f32 {
    assert!(simd.supported().is_some(), "{simd:?} not supported");
    match simd {
        // SAFETY (all AVX-512 arms): AVX-512F support was checked above.
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x4 => unsafe { x86::sum_f32_avx512::<4>(x) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x8 => unsafe { x86::sum_f32_avx512::<8>(x) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x16 => unsafe { x86::sum_f32_avx512::<16>(x) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 and FMA support were checked above.
        Simd::Avx2 => unsafe { x86::sum_f32_avx2(x) },
        _ => portable_sum(x),
    }
}

/// Non-deterministic single-thread sum of `x` (f64).
///
/// # Panics
/// If this CPU lacks `simd`.
pub fn sum_f64(simd: Simd, x: &[f64]) -> f64 {
    assert!(simd.supported().is_some(), "{simd:?} not supported");
    match simd {
        // SAFETY (all AVX-512 arms): AVX-512F support was checked above.
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x4 => unsafe { x86::sum_f64_avx512::<4>(x) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x8 => unsafe { x86::sum_f64_avx512::<8>(x) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x16 => unsafe { x86::sum_f64_avx512::<16>(x) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 and FMA support were checked above.
        Simd::Avx2 => unsafe { x86::sum_f64_avx2(x) },
        _ => portable_sum(x),
    }
}

/// Non-deterministic single-thread dot product (fused multiply-add per element).
///
/// # Panics
/// If the lengths differ or this CPU lacks `simd`.
pub fn dot_f32(simd: Simd, a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    assert!(simd.supported().is_some(), "{simd:?} not supported");
    match simd {
        // SAFETY (all AVX-512 arms): AVX-512F support was checked above; the lengths are equal.
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x4 => unsafe { x86::dot_f32_avx512::<4>(a, b) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x8 => unsafe { x86::dot_f32_avx512::<8>(a, b) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512x16 => unsafe { x86::dot_f32_avx512::<16>(a, b) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 and FMA support were checked above; the lengths are equal.
        Simd::Avx2 => unsafe { x86::dot_f32_avx2(a, b) },
        _ => {
            let mut acc = [0.0f32; 8];
            let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
            let (ra, rb) = (ca.remainder(), cb.remainder());
            for (x, y) in ca.zip(cb) {
                for k in 0..8 {
                    acc[k] += x[k] * y[k];
                }
            }
            acc.iter().sum::<f32>() + ra.iter().zip(rb).map(|(x, y)| x * y).sum::<f32>()
        }
    }
}

fn portable_sum<T: Copy + Default + std::ops::Add<Output = T> + std::iter::Sum>(x: &[T]) -> T {
    let mut acc = [T::default(); 8];
    let c = x.chunks_exact(8);
    let r = c.remainder();
    for v in c {
        for k in 0..8 {
            acc[k] = acc[k] + v[k];
        }
    }
    acc.into_iter().sum::<T>() + r.iter().copied().sum::<T>()
}

// ------------------------------------------------------------------------------------------------
// Multi-threaded versions: split into one contiguous block per `BLOCK` elements, rayon's own
// reduction order (non-deterministic across thread counts).

/// Elements per rayon task of the parallel peers (256 KiB of f32: large enough to amortise the
/// task, small enough to balance).
pub const BLOCK: usize = 1 << 16;

/// Non-deterministic parallel sum on the current rayon pool.
pub fn par_sum_f32(simd: Simd, x: &[f32]) -> f32 {
    if x.len() <= BLOCK {
        return sum_f32(simd, x);
    }
    x.par_chunks(BLOCK).map(|c| sum_f32(simd, c)).sum()
}

/// Non-deterministic parallel sum on the current rayon pool (f64).
pub fn par_sum_f64(simd: Simd, x: &[f64]) -> f64 {
    if x.len() <= BLOCK / 2 {
        return sum_f64(simd, x);
    }
    x.par_chunks(BLOCK / 2).map(|c| sum_f64(simd, c)).sum()
}

/// Non-deterministic parallel dot product on the current rayon pool.
pub fn par_dot_f32(simd: Simd, a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    if a.len() <= BLOCK {
        return dot_f32(simd, a, b);
    }
    a.par_chunks(BLOCK)
        .zip(b.par_chunks(BLOCK))
        .map(|(x, y)| dot_f32(simd, x, y))
        .sum()
}

// ------------------------------------------------------------------------------------------------
// Memory read bandwidth.

/// Reads every byte of `x` once, as fast as one thread can (16 independent OR chains of 64-byte
/// loads, or the widest the CPU has), and returns a value that depends on all of them.
pub fn read_all(x: &[f32]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: AVX-512F support was just checked.
            return unsafe { x86::read_avx512(x) };
        }
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just checked.
            return unsafe { x86::read_avx2(x) };
        }
    }
    x.iter().fold(0u32, |a, v| a | v.to_bits())
}

/// Reads every byte of `x` with all threads of the current rayon pool: one contiguous part per
/// thread (the layout that streams best), each read by [`read_all`].
pub fn par_read_all(x: &[f32]) -> u32 {
    let t = rayon::current_num_threads().max(1);
    // Parts are whole cache lines so that no line is fetched by two threads.
    let part = x.len().div_ceil(t).next_multiple_of(16);
    x.par_chunks(part.max(16))
        .map(read_all)
        .reduce(|| 0, |a, b| a | b)
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    /// Registers loaded per loop trip of the AVX-512 kernels with `a` accumulators: at least 8,
    /// so that the loop overhead stays small next to the loads.
    const fn unroll(a: usize) -> usize {
        if a < 8 { 8 } else { a }
    }

    /// Accumulators of the AVX2 kernels (16 ymm registers in all: 8 chains plus room for
    /// loaded operands).
    const A256: usize = 8;

    /// Sums the accumulators pairwise (log2(A) dependent adds) and then the lanes.
    #[target_feature(enable = "avx512f")]
    fn combine512<const A: usize>(mut acc: [__m512; A]) -> f32 {
        let mut w = A;
        while w > 1 {
            w /= 2;
            for j in 0..w {
                acc[j] = _mm512_add_ps(acc[j], acc[j + w]);
            }
        }
        _mm512_reduce_add_ps(acc[0])
    }

    #[target_feature(enable = "avx512f")]
    fn combine512d<const A: usize>(mut acc: [__m512d; A]) -> f64 {
        let mut w = A;
        while w > 1 {
            w /= 2;
            for j in 0..w {
                acc[j] = _mm512_add_pd(acc[j], acc[j + w]);
            }
        }
        _mm512_reduce_add_pd(acc[0])
    }

    #[target_feature(enable = "avx2,fma")]
    fn hsum256(v: __m256) -> f32 {
        let h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
        let h = _mm_add_ps(h, _mm_movehl_ps(h, h));
        _mm_cvtss_f32(_mm_add_ss(h, _mm_shuffle_ps::<0b01_01_01_01>(h, h)))
    }

    #[target_feature(enable = "avx2,fma")]
    fn combine256(mut acc: [__m256; A256]) -> f32 {
        let mut w = A256;
        while w > 1 {
            w /= 2;
            for j in 0..w {
                acc[j] = _mm256_add_ps(acc[j], acc[j + w]);
            }
        }
        hsum256(acc[0])
    }

    #[target_feature(enable = "avx2,fma")]
    fn combine256d(mut acc: [__m256d; A256]) -> f64 {
        let mut w = A256;
        while w > 1 {
            w /= 2;
            for j in 0..w {
                acc[j] = _mm256_add_pd(acc[j], acc[j + w]);
            }
        }
        let h = _mm_add_pd(
            _mm256_castpd256_pd128(acc[0]),
            _mm256_extractf128_pd::<1>(acc[0]),
        );
        _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)))
    }

    /// # Safety
    /// The CPU must support AVX-512F. `A` is a power of two.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn sum_f32_avx512<const A: usize>(x: &[f32]) -> f32 {
        const W: usize = 16;
        let u = unroll(A);
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm512_setzero_ps(); A];
        let mut i = 0;
        while i + u * W <= n {
            for k in 0..u {
                // SAFETY: i + (k+1)*W <= i + u*W <= n, so the 16 elements are in `x`.
                acc[k % A] =
                    _mm512_add_ps(acc[k % A], unsafe { _mm512_loadu_ps(p.add(i + k * W)) });
            }
            i += u * W;
        }
        let mut k = 0;
        while i + W <= n {
            // SAFETY: i + W <= n.
            acc[k % A] = _mm512_add_ps(acc[k % A], unsafe { _mm512_loadu_ps(p.add(i)) });
            i += W;
            k += 1;
        }
        if i < n {
            let m: __mmask16 = (1u16 << (n - i)) - 1;
            // SAFETY: the mask enables only lanes i..n, which are in `x` (masked-off lanes are
            // not accessed and cannot fault).
            let v = unsafe { _mm512_maskz_loadu_ps(m, p.add(i)) };
            acc[A - 1] = _mm512_add_ps(acc[A - 1], v);
        }
        combine512(acc)
    }

    /// # Safety
    /// The CPU must support AVX-512F. `A` is a power of two.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn sum_f64_avx512<const A: usize>(x: &[f64]) -> f64 {
        const W: usize = 8;
        let u = unroll(A);
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm512_setzero_pd(); A];
        let mut i = 0;
        while i + u * W <= n {
            for k in 0..u {
                // SAFETY: i + (k+1)*W <= n.
                acc[k % A] =
                    _mm512_add_pd(acc[k % A], unsafe { _mm512_loadu_pd(p.add(i + k * W)) });
            }
            i += u * W;
        }
        let mut k = 0;
        while i + W <= n {
            // SAFETY: i + W <= n.
            acc[k % A] = _mm512_add_pd(acc[k % A], unsafe { _mm512_loadu_pd(p.add(i)) });
            i += W;
            k += 1;
        }
        if i < n {
            let m: __mmask8 = (1u8 << (n - i)) - 1;
            // SAFETY: only lanes i..n (inside `x`) are enabled; masked lanes do not fault.
            let v = unsafe { _mm512_maskz_loadu_pd(m, p.add(i)) };
            acc[A - 1] = _mm512_add_pd(acc[A - 1], v);
        }
        combine512d(acc)
    }

    /// # Safety
    /// The CPU must support AVX-512F; `a.len() == b.len()`. `A` is a power of two.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn dot_f32_avx512<const A: usize>(a: &[f32], b: &[f32]) -> f32 {
        const W: usize = 16;
        let u = unroll(A);
        let n = a.len();
        debug_assert_eq!(n, b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc = [_mm512_setzero_ps(); A];
        let mut i = 0;
        while i + u * W <= n {
            for k in 0..u {
                // SAFETY: i + (k+1)*W <= n and both slices hold n elements.
                unsafe {
                    let x = _mm512_loadu_ps(pa.add(i + k * W));
                    let y = _mm512_loadu_ps(pb.add(i + k * W));
                    acc[k % A] = _mm512_fmadd_ps(x, y, acc[k % A]);
                }
            }
            i += u * W;
        }
        let mut k = 0;
        while i + W <= n {
            // SAFETY: i + W <= n in both slices.
            unsafe {
                let (x, y) = (_mm512_loadu_ps(pa.add(i)), _mm512_loadu_ps(pb.add(i)));
                acc[k % A] = _mm512_fmadd_ps(x, y, acc[k % A]);
            }
            i += W;
            k += 1;
        }
        if i < n {
            let m: __mmask16 = (1u16 << (n - i)) - 1;
            // SAFETY: only lanes i..n (inside both slices) are enabled; masked lanes do not fault.
            unsafe {
                let x = _mm512_maskz_loadu_ps(m, pa.add(i));
                let y = _mm512_maskz_loadu_ps(m, pb.add(i));
                acc[A - 1] = _mm512_fmadd_ps(x, y, acc[A - 1]);
            }
        }
        combine512(acc)
    }

    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn sum_f32_avx2(x: &[f32]) -> f32 {
        const W: usize = 8;
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm256_setzero_ps(); A256];
        let mut i = 0;
        while i + 2 * A256 * W <= n {
            // Two loads per chain per iteration: 16 loads in flight per loop trip.
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: i + 2*A256*W <= n covers both loads.
                unsafe {
                    *a = _mm256_add_ps(*a, _mm256_loadu_ps(p.add(i + k * W)));
                    *a = _mm256_add_ps(*a, _mm256_loadu_ps(p.add(i + (A256 + k) * W)));
                }
            }
            i += 2 * A256 * W;
        }
        let mut k = 0;
        while i + W <= n {
            // SAFETY: i + W <= n.
            acc[k % A256] = _mm256_add_ps(acc[k % A256], unsafe { _mm256_loadu_ps(p.add(i)) });
            i += W;
            k += 1;
        }
        let mut s = combine256(acc);
        while i < n {
            s += x[i];
            i += 1;
        }
        s
    }

    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn sum_f64_avx2(x: &[f64]) -> f64 {
        const W: usize = 4;
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm256_setzero_pd(); A256];
        let mut i = 0;
        while i + 2 * A256 * W <= n {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: i + 2*A256*W <= n covers both loads.
                unsafe {
                    *a = _mm256_add_pd(*a, _mm256_loadu_pd(p.add(i + k * W)));
                    *a = _mm256_add_pd(*a, _mm256_loadu_pd(p.add(i + (A256 + k) * W)));
                }
            }
            i += 2 * A256 * W;
        }
        let mut k = 0;
        while i + W <= n {
            // SAFETY: i + W <= n.
            acc[k % A256] = _mm256_add_pd(acc[k % A256], unsafe { _mm256_loadu_pd(p.add(i)) });
            i += W;
            k += 1;
        }
        let mut s = combine256d(acc);
        while i < n {
            s += x[i];
            i += 1;
        }
        s
    }

    /// # Safety
    /// The CPU must support AVX2 and FMA; `a.len() == b.len()`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn dot_f32_avx2(a: &[f32], b: &[f32]) -> f32 {
        const W: usize = 8;
        let n = a.len();
        debug_assert_eq!(n, b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut acc = [_mm256_setzero_ps(); A256];
        let mut i = 0;
        while i + A256 * W <= n {
            for (k, s) in acc.iter_mut().enumerate() {
                // SAFETY: i + (k+1)*W <= n in both slices.
                unsafe {
                    let x = _mm256_loadu_ps(pa.add(i + k * W));
                    *s = _mm256_fmadd_ps(x, _mm256_loadu_ps(pb.add(i + k * W)), *s);
                }
            }
            i += A256 * W;
        }
        let mut k = 0;
        while i + W <= n {
            // SAFETY: i + W <= n in both slices.
            unsafe {
                acc[k] = _mm256_fmadd_ps(
                    _mm256_loadu_ps(pa.add(i)),
                    _mm256_loadu_ps(pb.add(i)),
                    acc[k],
                );
            }
            i += W;
            k += 1;
        }
        let mut s = combine256(acc);
        while i < n {
            s = a[i].mul_add(b[i], s);
            i += 1;
        }
        s
    }

    /// # Safety
    /// The CPU must support AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn read_avx512(x: &[f32]) -> u32 {
        const W: usize = 16;
        const R: usize = 8;
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm512_setzero_si512(); R];
        let mut i = 0;
        while i + R * W <= n {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: i + (k+1)*W <= n.
                *a = _mm512_or_si512(*a, unsafe { _mm512_loadu_si512(p.add(i + k * W).cast()) });
            }
            i += R * W;
        }
        let mut r = 0u32;
        while i < n {
            r |= x[i].to_bits();
            i += 1;
        }
        for a in acc {
            r |= _mm512_reduce_or_epi32(a) as u32;
        }
        r
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn read_avx2(x: &[f32]) -> u32 {
        const W: usize = 8;
        const R: usize = 8;
        let n = x.len();
        let p = x.as_ptr();
        let mut acc = [_mm256_setzero_si256(); R];
        let mut i = 0;
        while i + R * W <= n {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: i + (k+1)*W <= n.
                *a = _mm256_or_si256(*a, unsafe { _mm256_loadu_si256(p.add(i + k * W).cast()) });
            }
            i += R * W;
        }
        let mut r = 0u32;
        while i < n {
            r |= x[i].to_bits();
            i += 1;
        }
        let mut lanes = [0u32; 8];
        for a in acc {
            // SAFETY: `lanes` holds 8 u32 = 32 bytes.
            unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), a) };
            r |= lanes.iter().fold(0, |x, y| x | y);
        }
        r
    }
}

/// The probes' pool: `PROBE_THREADS` threads (1 when unset), and that count.
///
/// # Panics
/// If `PROBE_THREADS` is not a positive whole number, or the pool cannot start.
pub fn probe_pool() -> (usize, rayon::ThreadPool) {
    let threads = std::env::var("PROBE_THREADS").map_or(1, |t| match t.parse() {
        Ok(n) if n > 0 => n,
        _ => panic!("PROBE_THREADS={t:?} is not a positive whole number"),
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("the probe's thread pool");
    (threads, pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(n: usize) -> Vec<f32> {
        // Small integers: every partial sum of up to 70 000 of them is exact in f32.
        (0..n).map(|i| ((i * 7919) % 64) as f32 - 32.0).collect()
    }

    #[test]
    fn peers_agree_with_exact_sums() {
        for n in [0, 1, 5, 15, 16, 17, 255, 256, 257, 1000, 4099, 70_000] {
            let x = data(n);
            let exact: f64 = x.iter().map(|&v| v as f64).sum();
            let xd: Vec<f64> = x.iter().map(|&v| v as f64).collect();
            let dot_exact: f64 = x.iter().map(|&v| (v as f64) * (v as f64)).sum();
            for simd in Simd::ALL {
                let Some(simd) = simd.supported() else {
                    continue;
                };
                assert_eq!(sum_f32(simd, &x) as f64, exact, "{simd:?} n={n}");
                assert_eq!(par_sum_f32(simd, &x) as f64, exact, "{simd:?} n={n}");
                assert_eq!(sum_f64(simd, &xd), exact, "{simd:?} n={n}");
                assert_eq!(par_sum_f64(simd, &xd), exact, "{simd:?} n={n}");
                let d = dot_f32(simd, &x, &x) as f64;
                assert!(
                    (d - dot_exact).abs() <= 1e-6 * dot_exact.abs() + 1e-3,
                    "{simd:?} n={n}"
                );
                let d = par_dot_f32(simd, &x, &x) as f64;
                assert!(
                    (d - dot_exact).abs() <= 1e-6 * dot_exact.abs() + 1e-3,
                    "{simd:?} n={n}"
                );
            }
            let or = x.iter().fold(0u32, |a, v| a | v.to_bits());
            assert_eq!(read_all(&x), or);
            assert_eq!(par_read_all(&x), or);
        }
    }

    /// The parallel driver's forking (adaptive, by pool size) never changes the bits: every pool
    /// size and path gives the single-thread kernel's result on inputs of hundreds of chunks.
    #[test]
    fn detkern_driver_matches_serial_kernel_on_large_inputs() {
        use detkern::{Config, Isa};
        use detkern_kernels::Path;
        let n = (1 << 20) + 777;
        let x: Vec<f32> = (0..n)
            .map(|i| f32::from_bits((i as u32).wrapping_mul(2_654_435_761) % 0x7f00_0000) - 1.0)
            .collect();
        let y: Vec<f32> = x.iter().rev().map(|v| v * 0.5).collect();
        let xd: Vec<f64> = x.iter().map(|&v| v as f64 * 1.000_000_1).collect();
        let serial = Path::new(Isa::Scalar).unwrap();
        let (s, d, sd) = (serial.sum(&x), serial.dot(&x, &y), serial.sum(&xd));
        for threads in [1, 2, 3, 5, 8] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for isa in Isa::supported() {
                let c = Config::new(isa).unwrap();
                pool.install(|| {
                    assert_eq!(c.sum(&x).to_bits(), s.to_bits(), "{isa} {threads}");
                    assert_eq!(c.dot(&x, &y).to_bits(), d.to_bits(), "{isa} {threads}");
                    assert_eq!(c.sum(&xd).to_bits(), sd.to_bits(), "{isa} {threads}");
                });
            }
        }
    }

    #[test]
    fn aligned_buffers_are_aligned() {
        let a = Aligned::from_fn(100, |i| i as f32);
        assert_eq!(a.as_slice().as_ptr() as usize % 64, 0);
        assert_eq!(a.as_slice()[99], 99.0);
    }
}
