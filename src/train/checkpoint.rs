//! Checkpoint files: a training run's step and `f32` arrays, tied to the task that wrote them and
//! protected by a checksum.
//!
//! # Format (version 2)
//!
//! All integers and floats little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 6 | magic `DKCKPT` (ASCII) |
//! | 2 | format version, two ASCII digits: `02` |
//! | 32 | the task: [`TaskSpec::fingerprint`] of the run that wrote it |
//! | 8 | `u64` step: optimiser steps taken |
//! | 4 | `u32` number of arrays `n` |
//! | per array | `u64` element count `len`, then `len` × `f32` (IEEE bits, little-endian) |
//! | 32 | SHA-256 of every byte before it |
//!
//! Nothing follows the checksum. [`super::Trainer::checkpoint`] stores, in this order: the
//! parameters `W₀, b₀, W₁, b₁, …` (weights row-major `[in, out]`), Adam's first moments in the
//! same order, Adam's second moments, then one array `[β₁ᵗ, β₂ᵗ]`. Floats are stored bit-exactly,
//! so a resumed run continues with exactly the state of the interrupted one.
//!
//! **Refusals.** [`Checkpoint::from_bytes`] refuses, with the byte offset at fault, an empty or
//! truncated file, a file that is not a checkpoint (magic), another format version (version 1
//! had no task and no checksum), trailing bytes and a checksum mismatch (any flipped bit);
//! [`super::Trainer::restore`] refuses a checkpoint of another task or another model shape. No
//! partial state is ever restored: the file is checked whole before anything is copied.
//!
//! **Writing** goes to a temporary file beside the target, which is then renamed over it: an
//! interrupted write never leaves a half-written checkpoint under the target's name.
//!

use super::TaskSpec;
use crate::{Error, Fingerprint};
use sha2::{Digest, Sha256};
use std::path::Path;

const MAGIC: &[u8; 6] = b"DKCKPT";
const VERSION: &[u8; 2] = b"02";
/// Magic, version, task, step and array count.
const HEADER: usize = 6 + 2 + 32 + 8 + 4;
const CHECKSUM: usize = 32;

/// A step count and a list of `f32` arrays of one task, serialisable to the format above.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// The task that wrote it ([`super::TaskSpec::fingerprint`]).
    pub task: Fingerprint,
    /// Optimiser steps taken.
    pub step: u64,
    /// The arrays, in the writer's documented order.
    pub arrays: Vec<Vec<f32>>,
}

fn bad(offset: usize, message: impl Into<String>) -> Error {
    Error::Checkpoint {
        path: None,
        offset: Some(offset as u64),
        message: message.into(),
    }
}

/// Reads the structure after the header: every array's length and values. Returns the arrays and
/// the offset where the checksum starts, or a truncation error naming where `bytes` end.
fn arrays(bytes: &[u8], n: u32) -> Result<(Vec<Vec<f32>>, usize), Error> {
    let mut pos = HEADER;
    let mut out = Vec::new();
    for i in 0..n {
        let len_at = pos;
        let len = bytes
            .get(pos..pos + 8)
            .ok_or_else(|| truncated(bytes.len(), pos + 8, format!("the length of array {i}")))?;
        let len = u64::from_le_bytes(len.try_into().expect("8 bytes"));
        pos += 8;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| l.checked_mul(4))
            .and_then(|b| b.checked_add(pos))
            .ok_or_else(|| bad(len_at, format!("array {i} claims {len} elements")))?;
        let raw = bytes
            .get(pos..end)
            .ok_or_else(|| truncated(bytes.len(), end, format!("the {len} values of array {i}")))?;
        out.push(
            raw.chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
                .collect(),
        );
        pos = end;
    }
    Ok((out, pos))
}

fn truncated(len: usize, needed: usize, what: String) -> Error {
    bad(
        len,
        format!("truncated: the file ends at byte {len}; {what} would end at byte {needed}"),
    )
}

impl Checkpoint {
    /// The file bytes (format version 2).
    pub fn to_bytes(&self) -> Vec<u8> {
        let values: usize = self.arrays.iter().map(|a| 8 + 4 * a.len()).sum();
        let mut out = Vec::with_capacity(HEADER + values + CHECKSUM);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(VERSION);
        out.extend_from_slice(self.task.as_bytes());
        out.extend_from_slice(&self.step.to_le_bytes());
        out.extend_from_slice(&(self.arrays.len() as u32).to_le_bytes());
        for a in &self.arrays {
            out.extend_from_slice(&(a.len() as u64).to_le_bytes());
            for v in a {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let sum: [u8; 32] = Sha256::digest(&out).into();
        out.extend_from_slice(&sum);
        out
    }

    /// Parses file bytes: an [`Error::Checkpoint`] naming the byte offset at fault for an empty,
    /// truncated, foreign, other-version or corrupted (checksum) file, or one with trailing
    /// bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Checkpoint, Error> {
        if bytes.is_empty() {
            return Err(bad(0, "the file is empty"));
        }
        let head = &bytes[..bytes.len().min(6)];
        if head != &MAGIC[..head.len()] {
            return Err(bad(
                0,
                format!(
                    "not a detkern checkpoint: it starts with the bytes {}, a checkpoint with \
                     \"DKCKPT\" ({})",
                    spaced_hex(head),
                    spaced_hex(MAGIC)
                ),
            ));
        }
        let Some(version) = bytes.get(6..8) else {
            return Err(truncated(
                bytes.len(),
                8,
                "the magic and format version".into(),
            ));
        };
        if version != VERSION {
            return Err(bad(
                6,
                format!(
                    "checkpoint format version {:?}; this build reads version \"02\" only",
                    String::from_utf8_lossy(version)
                ),
            ));
        }
        if bytes.len() < HEADER {
            return Err(truncated(bytes.len(), HEADER, "the header".into()));
        }
        let n = u32::from_le_bytes(bytes[48..52].try_into().expect("4 bytes"));
        let (arrays, end) = arrays(bytes, n)?;
        let Some(stored) = bytes.get(end..end + CHECKSUM) else {
            return Err(truncated(
                bytes.len(),
                end + CHECKSUM,
                "the checksum".into(),
            ));
        };
        let computed: [u8; 32] = Sha256::digest(&bytes[..end]).into();
        if stored != computed {
            return Err(bad(
                end,
                format!(
                    "checksum mismatch: the file is corrupted (stored SHA-256 {}, computed {})",
                    digest(stored),
                    digest(&computed)
                ),
            ));
        }
        if end + CHECKSUM != bytes.len() {
            return Err(bad(
                end + CHECKSUM,
                format!(
                    "{} trailing bytes after the checksum",
                    bytes.len() - end - CHECKSUM
                ),
            ));
        }
        Ok(Checkpoint {
            task: Fingerprint::from_bytes(bytes[8..40].try_into().expect("32 bytes")),
            step: u64::from_le_bytes(bytes[40..48].try_into().expect("8 bytes")),
            arrays,
        })
    }

    /// An [`Error::Checkpoint`] unless this checkpoint was written for `spec`
    /// ([`TaskSpec::fingerprint`]); cheap, so a caller can check before building the task's data.
    pub fn check_task(&self, spec: &TaskSpec) -> Result<(), Error> {
        let task = spec.fingerprint();
        if self.task == task {
            return Ok(());
        }
        Err(Error::Checkpoint {
            path: None,
            offset: None,
            message: format!(
                "written for another task (task fingerprint {}), this run's task is {task}",
                self.task
            ),
        })
    }

    /// Writes the file: to a temporary file beside `path`, then renamed over `path`, so that
    /// `path` holds either the old or the new checkpoint whole. The error names the file.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".tmp{}", std::process::id()));
        let io = |e: std::io::Error| Error::Checkpoint {
            path: Some(path.display().to_string()),
            offset: None,
            message: format!("cannot write: {e}"),
        };
        std::fs::write(&tmp, self.to_bytes()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    }

    /// Reads and checks a file written by [`Checkpoint::write`]; the error names the file (and
    /// the byte offset, as [`Checkpoint::from_bytes`]).
    pub fn read(path: impl AsRef<Path>) -> Result<Checkpoint, Error> {
        let path = path.as_ref();
        let named = |e: Error| match e {
            Error::Checkpoint {
                offset, message, ..
            } => Error::Checkpoint {
                path: Some(path.display().to_string()),
                offset,
                message,
            },
            other => other,
        };
        let bytes = std::fs::read(path).map_err(|e| {
            named(Error::Checkpoint {
                path: None,
                offset: None,
                message: format!("cannot read: {e}"),
            })
        })?;
        Checkpoint::from_bytes(&bytes).map_err(named)
    }
}

fn spaced_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn digest(bytes: &[u8]) -> String {
    Fingerprint::from_bytes(bytes.try_into().expect("32 bytes")).to_hex()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::Trainer;

    fn sample() -> Checkpoint {
        Checkpoint {
            task: Fingerprint::from_bytes([7; 32]),
            step: 77,
            arrays: vec![vec![1.0, -0.0, f32::NAN], vec![], vec![3.5]],
        }
    }

    fn refusal(bytes: &[u8]) -> (Option<u64>, String) {
        match Checkpoint::from_bytes(bytes) {
            Err(Error::Checkpoint {
                path: None,
                offset,
                message,
            }) => (offset, message),
            other => panic!("expected a checkpoint refusal, got {other:?}"),
        }
    }

    #[test]
    fn round_trips_bit_exactly() {
        let c = sample();
        let d = Checkpoint::from_bytes(&c.to_bytes()).unwrap();
        assert_eq!((d.task, d.step), (c.task, c.step));
        let bits = |c: &Checkpoint| -> Vec<Vec<u32>> {
            c.arrays
                .iter()
                .map(|a| a.iter().map(|v| v.to_bits()).collect())
                .collect()
        };
        assert_eq!(bits(&d), bits(&c));
        assert_eq!(d.to_bytes(), c.to_bytes());
    }

    #[test]
    fn refuses_an_empty_file() {
        assert_eq!(refusal(b""), (Some(0), "the file is empty".into()));
    }

    #[test]
    fn refuses_a_foreign_file() {
        let (offset, m) = refusal(b"\x89PNG\r\n\x1a\n and more");
        assert_eq!(offset, Some(0));
        assert!(m.starts_with("not a detkern checkpoint"), "{m}");
        // A prefix of the magic is a truncated checkpoint, not a foreign file.
        let (offset, m) = refusal(b"DKC");
        assert_eq!(offset, Some(3));
        assert!(m.starts_with("truncated"), "{m}");
    }

    #[test]
    fn refuses_another_format_version() {
        // Version 1: magic DKCKPT01, no task, no checksum.
        let mut v1 = b"DKCKPT01".to_vec();
        v1.extend_from_slice(&5u64.to_le_bytes());
        v1.extend_from_slice(&0u32.to_le_bytes());
        let (offset, m) = refusal(&v1);
        assert_eq!(offset, Some(6));
        assert!(m.contains("version \"01\""), "{m}");
    }

    #[test]
    fn refuses_every_truncation_naming_where_the_file_ends() {
        let b = sample().to_bytes();
        for len in 1..b.len() {
            let (offset, m) = refusal(&b[..len]);
            assert_eq!(offset, Some(len as u64), "cut at {len}: {m}");
            assert!(m.starts_with("truncated"), "cut at {len}: {m}");
        }
    }

    #[test]
    fn refuses_every_single_flipped_bit() {
        let b = sample().to_bytes();
        for bit in 0..8 * b.len() {
            let mut f = b.clone();
            f[bit / 8] ^= 1 << (bit % 8);
            let (_, m) = refusal(&f);
            if bit >= 8 * 8 {
                // Past magic and version: a bad count or length reads as a truncation or an
                // impossible length; anything else is the checksum's to catch.
                assert!(
                    m.starts_with("checksum mismatch")
                        || m.starts_with("truncated")
                        || m.contains("claims"),
                    "bit {bit}: {m}"
                );
            }
        }
    }

    #[test]
    fn refuses_trailing_bytes() {
        let mut b = sample().to_bytes();
        let len = b.len();
        b.extend_from_slice(b"xyz");
        let (offset, m) = refusal(&b);
        assert_eq!(offset, Some(len as u64));
        assert!(m.contains("3 trailing bytes"), "{m}");
    }

    fn tiny(seed: u64) -> TaskSpec {
        TaskSpec {
            inputs: 6,
            latent: 3,
            hidden: vec![5],
            classes: 3,
            train: 16,
            test: 8,
            batch: 4,
            lr: 1e-2,
            dropout: 0.1,
            seed,
        }
    }

    #[test]
    fn restore_refuses_another_task_and_keeps_its_state() {
        let cfg = crate::Config::best();
        let mut a = Trainer::new(cfg, tiny(1));
        a.train_step();
        let ck = a.checkpoint();
        let mut b = Trainer::new(cfg, tiny(2));
        let before = b.model.fingerprint();
        match b.restore(&ck) {
            Err(Error::Checkpoint { message, .. }) => {
                assert!(message.starts_with("written for another task"), "{message}")
            }
            other => panic!("restored a checkpoint of another task: {other:?}"),
        }
        assert_eq!((b.step, b.model.fingerprint()), (0, before));
        // Same task, another model shape: refused by the task fingerprint too.
        let mut wider = tiny(1);
        wider.hidden = vec![6];
        assert!(Trainer::new(cfg, wider).restore(&ck).is_err());
        // The same task restores.
        let mut c = Trainer::new(cfg, tiny(1));
        c.restore(&ck).unwrap();
        assert_eq!((c.step, c.model.fingerprint()), (1, a.model.fingerprint()));
    }

    #[test]
    fn restore_refuses_arrays_of_other_lengths() {
        let cfg = crate::Config::best();
        let t = Trainer::new(cfg, tiny(1));
        let mut ck = t.checkpoint();
        ck.arrays[0].pop();
        let mut u = Trainer::new(cfg, tiny(1));
        match u.restore(&ck) {
            Err(Error::Checkpoint { message, .. }) => {
                assert!(message.contains("arrays have lengths"), "{message}")
            }
            other => panic!("restored arrays of other lengths: {other:?}"),
        }
    }

    #[test]
    fn read_and_write_name_the_file() {
        let dir = std::env::temp_dir().join(format!("detkern-ckpt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.ckpt");
        sample().write(&p).unwrap();
        assert_eq!(
            Checkpoint::read(&p).unwrap().to_bytes(),
            sample().to_bytes()
        );
        std::fs::write(&p, b"").unwrap();
        let e = Checkpoint::read(&p).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "checkpoint file {} at byte 0: the file is empty",
                p.display()
            )
        );
        let missing = dir.join("missing.ckpt");
        let e = Checkpoint::read(&missing).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!(
                "checkpoint file {}: cannot read: ",
                missing.display()
            )),
            "{e}"
        );
        let e = sample().write(dir.join("no/such/dir.ckpt")).unwrap_err();
        assert!(e.to_string().contains("cannot write"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
