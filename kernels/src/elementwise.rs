//! Elementwise operations made of one IEEE operation per element (each result is the single
//! correctly rounded value), so no path can change a bit: the paths differ only in how many lanes
//! the compiler gives the plain loop inside each instruction set's target-feature function.

use crate::lanes::Lanes;
use crate::path::{Kernel, Path, dispatch};

impl Path {
    /// `x[i] = x[i] / d` for every element (IEEE `f32` division, round to nearest even). Every
    /// path gives the bits of the plain loop `for v in x { *v /= d }`.
    pub fn div_assign_f32(self, x: &mut [f32], d: f32) {
        dispatch!(self, DivAssign { x, d })
    }
}

/// The body of [`Path::div_assign_f32`].
struct DivAssign<'a> {
    x: &'a mut [f32],
    d: f32,
}

impl Kernel<f32> for DivAssign<'_> {
    type Out = ();

    #[inline(always)]
    fn run<S: Lanes<f32>>(self, _: S) {
        for v in self.x {
            *v /= self.d;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Isa, Path};

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
            let want: alloc::vec::Vec<u32> = x.iter().map(|&v| (v / d).to_bits()).collect();
            for isa in Isa::supported() {
                let mut got = x.clone();
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
    }
}
