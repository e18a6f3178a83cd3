//! The `sincospi` core on every path equals its scalar reference bit for bit, for every tail
//! length.

use detkern_kernels::rng::sincospi_reduced_reference;
use detkern_kernels::{Isa, Path};

#[test]
fn sincospi_reduced_matches_reference_on_every_path() {
    let mut state = 0x1234_5678u64;
    let xs: Vec<f64> = (0..1000)
        .map(|i| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            match i % 10 {
                0 => 0.25,
                1 => -0.25,
                2 => -0.0,
                3 => 1e-300,
                _ => ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.5,
            }
        })
        .collect();
    for isa in Isa::supported() {
        let p = Path::new(isa).unwrap();
        for n in (0..40).chain([999, 1000]) {
            let (mut s, mut c) = (vec![0.0; n], vec![0.0; n]);
            p.sincospi_reduced(&xs[..n], &mut s, &mut c);
            for i in 0..n {
                let (ws, wc) = sincospi_reduced_reference(xs[i]);
                assert_eq!(s[i].to_bits(), ws.to_bits(), "{isa} sin({}) n {n}", xs[i]);
                assert_eq!(c[i].to_bits(), wc.to_bits(), "{isa} cos({}) n {n}", xs[i]);
            }
        }
    }
}
