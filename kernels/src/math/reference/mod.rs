//! The elementary functions as plain scalar code: the executable form of their canonical
//! algorithms in `docs/DETERMINISM.md`, one file per function (`exp.rs`, `ln.rs`, …, named as
//! [`Function::name`]). Shares only the constants with the fast paths (none of their code);
//! every path is tested to return exactly these bits. Uses `f64::mul_add` (a correctly rounded
//! fused multiply-add) and no other library function.

mod erf;
mod exp;
mod gelu;
mod gelu_tanh;
mod ln;
mod sigmoid;
mod tanh;

pub use erf::erf;
pub use exp::{exp, exp_f64};
pub use gelu::gelu;
pub use gelu_tanh::gelu_tanh;
pub use ln::ln;
pub use sigmoid::sigmoid;
pub use tanh::tanh;

use super::Function;

pub(super) fn fma(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// `x` limited to `[lo, hi]`, NaN unchanged.
pub(super) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

pub(super) fn poly(x: f64, c: &[f64]) -> f64 {
    let mut acc = c[c.len() - 1];
    for ci in c[..c.len() - 1].iter().rev() {
        acc = fma(acc, x, *ci);
    }
    acc
}

/// The reference of `f`.
pub fn of(f: Function) -> fn(f32) -> f32 {
    use Function::*;
    match f {
        Exp => exp,
        Ln => ln,
        Tanh => tanh,
        Sigmoid => sigmoid,
        Erf => erf,
        Gelu => gelu,
        GeluTanh => gelu_tanh,
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::Function;
    use std::format;

    /// Every function has its file here, defining `pub fn NAME(x: f32) -> f32`, and its lane
    /// body next to this module (`../NAME.rs`).
    #[test]
    fn every_function_has_its_own_reference_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/math");
        for f in Function::ALL {
            let name = f.name();
            let file = dir.join(format!("reference/{name}.rs"));
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert!(
                text.contains(&format!("pub fn {name}(x: f32) -> f32")),
                "{} does not define `pub fn {name}(x: f32) -> f32`",
                file.display()
            );
            assert!(
                dir.join(format!("{name}.rs")).exists(),
                "no lane body {name}.rs"
            );
        }
    }
}
