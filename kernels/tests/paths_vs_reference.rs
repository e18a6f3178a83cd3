//! Every path of every reduction equals the scalar reference bit for bit (single thread).
//! The detkern crate's property tests add thread counts, views and hostile values on top.

use detkern_kernels::{Isa, Path, reference};

fn same32(x: f32, y: f32) -> bool {
    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
}
fn same64(x: f64, y: f64) -> bool {
    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
}

fn lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..300).collect();
    for base in [2048usize, 4096, 8192, 3 * 4096] {
        v.extend([base - 1, base, base + 1, base + 127, base + 129]);
    }
    v.push(5 * 4096 + 77);
    v
}

#[test]
fn sum_dot_max_min_all_paths() {
    let mut state = 7u64;
    let mut rnd = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state
    };
    let n = 5 * 4096 + 200;
    // Wide dynamic range with cancellations, so that any reordering shows.
    let x32: Vec<f32> = (0..n)
        .map(|_| {
            let r = rnd();
            ((r >> 40) as f32 - 8e6) * 2f32.powi((r % 40) as i32 - 20)
        })
        .collect();
    let y32: Vec<f32> = (0..n)
        .map(|_| {
            let r = rnd();
            ((r >> 40) as f32 - 8e6) * 2f32.powi((r % 30) as i32 - 15)
        })
        .collect();
    let x64: Vec<f64> = x32.iter().map(|&v| v as f64 * 1.000_000_1).collect();
    let y64: Vec<f64> = y32.iter().map(|&v| v as f64 * 0.999_999_9).collect();
    for isa in Isa::supported() {
        let p = Path::new(isa).unwrap();
        for len in lengths() {
            for off in [0usize, 1, 3] {
                let (a, b) = (&x32[off..off + len], &y32[off..off + len]);
                assert!(
                    same32(p.sum(a), reference::sum(a)),
                    "{isa} sum f32 len {len} off {off}"
                );
                assert!(
                    same32(p.dot(a, b), reference::dot(a, b)),
                    "{isa} dot f32 len {len} off {off}"
                );
                assert_eq!(
                    p.max(a).map(f32::to_bits),
                    reference::max(a).map(f32::to_bits),
                    "{isa} max f32 {len}"
                );
                assert_eq!(
                    p.min(a).map(f32::to_bits),
                    reference::min(a).map(f32::to_bits),
                    "{isa} min f32 {len}"
                );
                let (a, b) = (&x64[off..off + len], &y64[off..off + len]);
                assert!(
                    same64(p.sum(a), reference::sum(a)),
                    "{isa} sum f64 len {len} off {off}"
                );
                assert!(
                    same64(p.dot(a, b), reference::dot(a, b)),
                    "{isa} dot f64 len {len} off {off}"
                );
                assert_eq!(
                    p.max(a).map(f64::to_bits),
                    reference::max(a).map(f64::to_bits),
                    "{isa} max f64 {len}"
                );
                assert_eq!(
                    p.min(a).map(f64::to_bits),
                    reference::min(a).map(f64::to_bits),
                    "{isa} min f64 {len}"
                );
            }
        }
    }
}
