//! Elementwise operations whose every result is one correctly rounded IEEE operation, so no
//! path can change a bit.

use crate::path::Path;

impl Path {
    /// `x[i] = x[i] / d` for every element (IEEE `f32` division, round to nearest even). Every
    /// path gives the bits of the plain loop `for v in x { *v /= d }`; the AVX2, AVX-512 and NEON
    /// paths compute most quotients from the reciprocal of `d` with an exact correction
    /// (`docs/DETERMINISM.md`, "Division by a common divisor").
    pub fn div_assign_f32(self, x: &mut [f32], d: f32) {
        self.div_assign_on_path(x, d)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_gen::Gen;
    use crate::{Isa, Path};

    /// Quotients on every path against the plain loop, NaN results compared as NaN.
    fn check_every_path(x: &[f32], d: f32) {
        let want: alloc::vec::Vec<u32> = x.iter().map(|&v| (v / d).to_bits()).collect();
        for isa in Isa::supported() {
            let mut got = x.to_vec();
            Path::new(isa).unwrap().div_assign_f32(&mut got, d);
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                let both_nan = f32::from_bits(*w).is_nan() && g.is_nan();
                assert!(
                    g.to_bits() == *w || both_nan,
                    "{isa:?} {}/{d}: got {g:e}, want {:e} (element {i})",
                    x[i],
                    f32::from_bits(*w)
                );
            }
        }
    }

    /// Dividends like softmax's (positive, in the range the correction takes, whole registers
    /// of them) and a few registers holding a zero or a tiny value, for divisors with extreme
    /// significands: the corrected quotients of the AVX2, AVX-512 and NEON paths.
    #[test]
    fn corrected_division_on_every_path_equals_the_plain_loop() {
        let mut g = Gen(0x2F0B_3C5D_11AA_9E01);
        let x: alloc::vec::Vec<f32> = (0..4099)
            .map(|i| match i {
                1000 => 0.0,
                2000 => 1e-30,
                3000 => -1.0,
                _ => f32::from_bits(0x2200_0000 + (g.next() as u32 % 0x3b00_0000)),
            })
            .collect();
        for d in [
            1.0f32,
            3.0,
            1.999_999_9,
            1.000_000_1,
            4095.7,
            1e-4,
            6e4,
            0.3,
        ] {
            check_every_path(&x, d);
        }
    }

    #[test]
    fn division_on_every_path_equals_the_plain_loop() {
        let mut x: alloc::vec::Vec<f32> = (0..1000u32)
            .map(|i| f32::from_bits(i.wrapping_mul(0x9E37_79B9)))
            .collect();
        x.extend([
            0.0,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            1e-45,
            -1e-45,
        ]);
        for d in [
            3.0f32,
            -0.7,
            1e-40,
            1e38,
            0.0,
            -0.0,
            f32::INFINITY,
            f32::NAN,
        ] {
            check_every_path(&x, d);
        }
    }
}
