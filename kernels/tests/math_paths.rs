//! `Path::exp_minus_f32` (the fused `exp(x - m)` of softmax) on every path equals the correctly
//! rounded reference `exp` of the `f32` difference, at every position of a slice.

use detkern_kernels::math::{Function, reference};
use detkern_kernels::{Isa, Path};

fn hostile() -> Vec<f32> {
    let mut v = vec![
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::from_bits(1),
        f32::MIN_POSITIVE,
        f32::MAX,
        -f32::MAX,
        88.72284,
        -103.97208,
        -87.33655,
        1.0,
        -1.0,
    ];
    let mut z = 0x1234_5678_9abc_def0u64;
    for i in 0..4000 {
        z = z
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        v.push(f32::from_bits((z >> 32) as u32));
        v.push((i as f32 - 2000.0) / 16.0);
    }
    v
}

#[test]
fn exp_minus_equals_the_reference_exp_of_the_difference_on_every_path() {
    let x = hostile();
    let ms = [
        0.0f32,
        3.5,
        -20.25,
        88.0,
        f32::MAX,
        f32::NEG_INFINITY,
        f32::NAN,
        1e-30,
    ];
    for isa in Isa::supported() {
        let path = Path::new(isa).unwrap();
        for &m in &ms {
            for start in 0..9 {
                let xs = &x[start..];
                let mut out = vec![0.0f32; xs.len()];
                path.exp_minus_f32(xs, m, &mut out);
                for (&v, &y) in xs.iter().zip(&out) {
                    let want = reference::exp(v - m);
                    assert!(
                        want.to_bits() == y.to_bits() || (want.is_nan() && y.is_nan()),
                        "{isa}: exp({v:e} - {m:e}) = {y:e}, reference {want:e}"
                    );
                    let one = path.apply_f32(Function::Exp, v - m);
                    assert!(one.to_bits() == y.to_bits() || (one.is_nan() && y.is_nan()));
                }
            }
        }
    }
}

#[test]
#[should_panic(expected = "exp_minus: input has 3 elements, output 2")]
fn exp_minus_rejects_lengths_that_differ() {
    Path::scalar().exp_minus_f32(&[1.0; 3], 0.0, &mut [0.0; 2]);
}
