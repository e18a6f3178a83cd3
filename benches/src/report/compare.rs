//! The cross-machine check: do two reports (say a laptop's and a server's) hold the same
//! detkern fingerprints? Compares the `workload/size` keys both reports ran and lists the
//! others as skipped; also says, per peer, how many of its cells kept their bits.

use super::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The outcome of comparing report `a` with report `b`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// Keys both ran whose detkern fingerprints are equal: `(key, fingerprint)`.
    pub agree: Vec<(String, String)>,
    /// Keys both ran whose detkern fingerprints differ: `(key, fingerprint a, fingerprint b)`.
    pub differ: Vec<(String, String, String)>,
    /// Keys only `a` ran (skipped).
    pub only_a: Vec<String>,
    /// Keys only `b` ran (skipped).
    pub only_b: Vec<String>,
    /// Keys whose detkern fingerprints already differ inside one report: `(which, key)`.
    pub internal: Vec<(char, String)>,
    /// Per peer: `(cells both ran with equal fingerprints, cells both ran)`, over the cells
    /// (key, thread count) present in both reports.
    pub peers: BTreeMap<String, (usize, usize)>,
}

impl Comparison {
    /// Whether every shared detkern fingerprint agrees and neither report is inconsistent
    /// inside, and at least one key was compared.
    pub fn ok(&self) -> bool {
        self.differ.is_empty() && self.internal.is_empty() && !self.agree.is_empty()
    }
}

/// Compares the detkern fingerprints of the keys both reports ran.
pub fn compare(a: &Report, b: &Report) -> Comparison {
    let (fa, fb) = (a.detkern_fingerprints(), b.detkern_fingerprints());
    let mut c = Comparison::default();
    for (key, x) in &fa {
        match fb.get(key) {
            Some(y) if x == y => c.agree.push((key.clone(), x.clone())),
            Some(y) => c.differ.push((key.clone(), x.clone(), y.clone())),
            None => c.only_a.push(key.clone()),
        }
    }
    c.only_b = fb
        .keys()
        .filter(|k| !fa.contains_key(*k))
        .cloned()
        .collect();
    for (which, r) in [('a', a), ('b', b)] {
        c.internal
            .extend(r.mismatches().into_iter().map(|m| (which, m.key)));
    }
    for ra in a.rows.iter().filter(|r| !r.is_detkern()) {
        if let Some(rb) = b.rows.iter().find(|rb| {
            rb.contestant == ra.contestant && rb.threads == ra.threads && rb.key() == ra.key()
        }) {
            let e = c.peers.entry(ra.contestant.clone()).or_default();
            e.1 += 1;
            if rb.fingerprint == ra.fingerprint {
                e.0 += 1;
            }
        }
    }
    c
}

fn describe(r: &Report) -> String {
    format!(
        "{} mode, {} ({}), paths {}, git {}",
        r.mode,
        r.machine.cpu_model,
        r.machine.arch,
        r.machine.isas.join(","),
        &r.git_revision[..r.git_revision.len().min(12)]
    )
}

/// `items` joined by ", " on lines of at most `width` characters, each starting with a newline
/// and `indent`.
fn wrap(items: &[String], width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        if !line.is_empty() && indent.len() + line.len() + 1 + piece.len() > width {
            let _ = write!(out, "\n{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    if !line.is_empty() {
        let _ = write!(out, "\n{indent}{line}");
    }
    out
}

/// The comparison as text, ending with a one-line verdict.
pub fn render(a: &Report, b: &Report, c: &Comparison) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "a: {}", describe(a));
    let _ = writeln!(o, "b: {}", describe(b));
    let _ = writeln!(
        o,
        "\ndetkern fingerprints of the {} workload sizes both reports ran:",
        c.agree.len() + c.differ.len()
    );
    for (key, fp) in &c.agree {
        let _ = writeln!(o, "  agree   {key:<40} {}", &fp[..fp.len().min(16)]);
    }
    for (key, x, y) in &c.differ {
        let _ = writeln!(
            o,
            "  DIFFER  {key:<40} a {} b {}",
            &x[..x.len().min(16)],
            &y[..y.len().min(16)]
        );
    }
    for (which, key) in &c.internal {
        let _ = writeln!(
            o,
            "  INCONSISTENT inside report {which}: {key} (its own paths/threads disagree)"
        );
    }
    if !c.only_a.is_empty() || !c.only_b.is_empty() {
        let _ = writeln!(o, "\nskipped (run by one report only):");
        for (which, keys) in [("a", &c.only_a), ("b", &c.only_b)] {
            if !keys.is_empty() {
                let _ = writeln!(o, "  only in {which}:{}", wrap(keys, 96, "    "));
            }
        }
    }
    if !c.peers.is_empty() {
        let _ = writeln!(
            o,
            "\npeers, cells (workload size × threads) in both reports with equal bits:"
        );
        for (peer, (same, all)) in &c.peers {
            let _ = writeln!(o, "  {peer:<40} {same} of {all}");
        }
    }
    let verdict = if c.ok() {
        format!(
            "OK: all {} shared detkern fingerprints agree",
            c.agree.len()
        )
    } else if c.agree.is_empty() && c.differ.is_empty() {
        "FAILED: the reports share no workload size".to_string()
    } else {
        format!(
            "FAILED: {} of {} shared detkern fingerprints differ, {} inconsistent inside a report",
            c.differ.len(),
            c.agree.len() + c.differ.len(),
            c.internal.len()
        )
    };
    let _ = writeln!(o, "\n{verdict}");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Row, Work};

    fn row(workload: &str, contestant: &str, fp: &str) -> Row {
        Row {
            workload: workload.into(),
            size: "1".into(),
            contestant: contestant.into(),
            isa: None,
            threads: 1,
            work: Work::Steps(1.0),
            fingerprint: fp.into(),
            stats: None,
        }
    }

    #[test]
    fn intersection_only() {
        let a = Report {
            rows: vec![
                row("x", "detkern", "1"),
                row("y", "detkern", "2"),
                row("x", "peer", "5"),
            ],
            ..Report::default()
        };
        let mut b = Report {
            rows: vec![
                row("x", "detkern", "1"),
                row("z", "detkern", "3"),
                row("x", "peer", "6"),
            ],
            ..Report::default()
        };
        let c = compare(&a, &b);
        assert!(c.ok());
        assert_eq!(c.only_a, ["y/1"]);
        assert_eq!(c.only_b, ["z/1"]);
        assert_eq!(c.peers["peer"], (0, 1));
        b.rows[0].fingerprint = "9".into();
        assert!(!compare(&a, &b).ok());
    }
}
