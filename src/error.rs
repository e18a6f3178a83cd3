//! The one error type of every fallible entry point.

use detkern_kernels::Isa;
use detkern_kernels::fpenv::NonDefaultFpEnv;
use std::fmt;

/// Why a detkern kernel refused to compute.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Two inputs whose lengths must agree do not.
    LengthMismatch {
        /// The operation.
        op: &'static str,
        /// Length of the first input.
        left: usize,
        /// Length of the second input.
        right: usize,
    },
    /// Two inputs whose shapes must agree do not.
    ShapeMismatch {
        /// The operation.
        op: &'static str,
        /// Shape of the first input.
        left: Vec<usize>,
        /// Shape of the second input.
        right: Vec<usize>,
    },
    /// The operation has no value for an empty input (for example the maximum of nothing).
    Empty {
        /// The operation.
        op: &'static str,
    },
    /// An argument is outside the operation's domain (a probability outside [0, 1], an empty
    /// range).
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// What is wrong, naming the value.
        message: String,
    },
    /// A class label is not below the number of classes.
    LabelOutOfRange {
        /// The operation.
        op: &'static str,
        /// The row whose label it is.
        row: usize,
        /// The label.
        label: usize,
        /// The number of classes (columns).
        classes: usize,
    },
    /// The requested instruction-set path cannot run on this CPU.
    UnsupportedIsa {
        /// The path.
        isa: Isa,
    },
    /// `DETKERN_ISA` names no path.
    UnknownIsa {
        /// The variable's value.
        value: String,
    },
    /// A checkpoint cannot be read or written, is damaged, or belongs to another task or model
    /// ([`crate::train::Checkpoint`]).
    Checkpoint {
        /// The file, where one is involved.
        path: Option<String>,
        /// The byte offset at fault, where one is known.
        offset: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A thread that was to run part of the kernel is not in the IEEE default floating-point
    /// environment.
    FpEnv(NonDefaultFpEnv),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::LengthMismatch { op, left, right } => {
                write!(
                    f,
                    "{op}: lengths differ: left has {left} elements, right has {right}"
                )
            }
            Error::ShapeMismatch { op, left, right } => {
                write!(
                    f,
                    "{op}: shapes do not fit: left is {left:?}, right is {right:?}"
                )
            }
            Error::Empty { op } => write!(f, "{op}: the input is empty"),
            Error::LabelOutOfRange {
                op,
                row,
                label,
                classes,
            } => write!(
                f,
                "{op}: label {label} of row {row} is out of range for {classes} classes"
            ),
            Error::InvalidArgument { op, message } => write!(f, "{op}: {message}"),
            Error::UnsupportedIsa { isa } => write!(
                f,
                "the {isa} path was requested but this CPU does not support it (supported: {})",
                Isa::supported()
                    .map(Isa::name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Error::UnknownIsa { value } => write!(
                f,
                "DETKERN_ISA={value:?} names no path; expected one of scalar, sse2, avx2, avx512, neon"
            ),
            Error::Checkpoint {
                path,
                offset,
                message,
            } => {
                f.write_str("checkpoint")?;
                if let Some(p) = path {
                    write!(f, " file {p}")?;
                }
                if let Some(o) = offset {
                    write!(f, " at byte {o}")?;
                }
                write!(f, ": {message}")
            }
            Error::FpEnv(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<NonDefaultFpEnv> for Error {
    fn from(e: NonDefaultFpEnv) -> Self {
        Error::FpEnv(e)
    }
}
