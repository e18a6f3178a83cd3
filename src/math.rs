//! Deterministic elementary functions of `f32`: the same bits on every CPU, path, thread count
//! and operating system (no platform `libm` is involved).
//!
//! - [`exp`] and [`ln`] are **correctly rounded** (to nearest-even) for every one of the 2^32
//!   inputs, so they agree with every correctly rounded library (checked exhaustively against
//!   CORE-MATH by `tools/exhaustive`).
//! - [`tanh`], [`sigmoid`], [`erf`], [`gelu`] (exact form `x Φ(x)`) and [`gelu_tanh`] (the tanh
//!   approximation) are evaluated in `f64` and rounded once; their error is below one ulp (the
//!   exhaustive tool reports the maximum, see `docs/DETERMINISM.md`).
//!
//! Each scalar function has a `try_` form that returns [`Error::FpEnv`] when the calling
//! thread is not in the IEEE default floating-point environment (the plain form panics).
//! [`map_into`] applies a function to a slice, in parallel over fixed chunks of
//! [`MAP_CHUNK`] elements; an element's bits never depend on its position or the thread count.
//!
//! ```
//! use detkern::math;
//! assert_eq!(math::exp(1.0), 2.7182817);
//! assert_eq!(math::ln(1.0), 0.0);
//! let x = [0.5f32, -1.0, 3.0];
//! let mut y = [0.0f32; 3];
//! math::map_into(math::Function::Tanh, &x, &mut y);
//! assert_eq!(y[0], math::tanh(0.5));
//! ```

use crate::config::process_default;
use crate::{Config, Error};
use detkern_kernels::fpenv;
pub use detkern_kernels::math::Function;
use rayon::prelude::*;

/// Elements per parallel task of [`map_into`] (a speed knob only: results do not depend on it).
pub const MAP_CHUNK: usize = 8192;

impl Config {
    /// `f(x)` for one value. An error if the thread's floating-point environment is not the
    /// IEEE default.
    pub fn try_apply(&self, f: Function, x: f32) -> Result<f32, Error> {
        fpenv::check()?;
        Ok(self.path.apply_f32(f, x))
    }

    /// `out[i] = f(x[i])` for every `i`, in parallel over chunks of [`MAP_CHUNK`] elements
    /// (inline for a single chunk). Same bits for every path and thread count. An error if the
    /// lengths differ or a thread that runs a chunk is not in the default environment.
    pub fn try_map_into(&self, f: Function, x: &[f32], out: &mut [f32]) -> Result<(), Error> {
        if x.len() != out.len() {
            return Err(Error::LengthMismatch {
                op: f.name(),
                left: x.len(),
                right: out.len(),
            });
        }
        let path = self.path;
        if x.len() <= MAP_CHUNK {
            fpenv::check()?;
            path.map_f32(f, x, out);
            return Ok(());
        }
        x.par_chunks(MAP_CHUNK)
            .zip(out.par_chunks_mut(MAP_CHUNK))
            .try_for_each(|(xc, oc)| {
                fpenv::check()?;
                path.map_f32(f, xc, oc);
                Ok(())
            })
    }

    /// [`Config::try_map_into`], panicking (with both lengths when they differ) on error.
    #[track_caller]
    pub fn map_into(&self, f: Function, x: &[f32], out: &mut [f32]) {
        self.try_map_into(f, x, out)
            .unwrap_or_else(|e| panic!("detkern::math::map_into: {e}"))
    }
}

/// `out[i] = f(x[i])` with the process-default path; see [`Config::try_map_into`].
pub fn try_map_into(f: Function, x: &[f32], out: &mut [f32]) -> Result<(), Error> {
    process_default()?.try_map_into(f, x, out)
}

/// `out[i] = f(x[i])`; see [`Config::try_map_into`]. Panics where `try_map_into` errs.
#[track_caller]
pub fn map_into(f: Function, x: &[f32], out: &mut [f32]) {
    match try_map_into(f, x, out) {
        Ok(()) => {}
        Err(e) => panic!("detkern::math::map_into: {e}"),
    }
}

/// `f(x)` with the process-default path; see [`Config::try_apply`].
pub fn try_apply(f: Function, x: f32) -> Result<f32, Error> {
    process_default()?.try_apply(f, x)
}

macro_rules! scalar_fn {
    ($name:ident, $try_name:ident, $f:ident, $what:literal) => {
        #[doc = concat!($what, " Panics where [`", stringify!($try_name), "`] errs.")]
        #[track_caller]
        pub fn $name(x: f32) -> f32 {
            match try_apply(Function::$f, x) {
                Ok(y) => y,
                Err(e) => panic!(concat!("detkern::math::", stringify!($name), ": {}"), e),
            }
        }

        #[doc = concat!($what, " An error if the thread's floating-point environment is not the IEEE default.")]
        pub fn $try_name(x: f32) -> Result<f32, Error> {
            try_apply(Function::$f, x)
        }
    };
}

scalar_fn!(exp, try_exp, Exp, "`e^x`, correctly rounded.");
scalar_fn!(
    ln,
    try_ln,
    Ln,
    "The natural logarithm, correctly rounded (`ln(±0) = -∞`, `ln(x < 0) = NaN`)."
);
scalar_fn!(
    tanh,
    try_tanh,
    Tanh,
    "The hyperbolic tangent (error below 1 ulp)."
);
scalar_fn!(
    sigmoid,
    try_sigmoid,
    Sigmoid,
    "The logistic function `1 / (1 + e^-x)` (error below 1 ulp)."
);
scalar_fn!(erf, try_erf, Erf, "The error function (error below 1 ulp).");
scalar_fn!(
    gelu,
    try_gelu,
    Gelu,
    "GELU, exact form `x Φ(x) = x (1 + erf(x/√2)) / 2`; `gelu(-∞) = -0`."
);
scalar_fn!(
    gelu_tanh,
    try_gelu_tanh,
    GeluTanh,
    "GELU, tanh approximation `x (1 + tanh(√(2/π) (x + 0.044715 x³))) / 2`; `gelu_tanh(-∞) = -0`."
);
