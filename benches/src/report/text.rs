//! The human-readable outputs: the table printed on stdout and `report.md`.

use super::{Report, Row};
use std::fmt::Write;

/// A number with three significant digits (`0.0123`, `1.23`, `123`, `12300`).
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

/// A duration in s, ms, µs or ns with three significant digits.
pub fn duration(s: f64) -> String {
    if s >= 1.0 {
        format!("{} s", num(s))
    } else if s >= 1e-3 {
        format!("{} ms", num(s * 1e3))
    } else if s >= 1e-6 {
        format!("{} µs", num(s * 1e6))
    } else {
        format!("{} ns", num(s * 1e9))
    }
}

/// The first 16 hex digits of a fingerprint (enough to tell results apart by eye).
pub fn short(fp: &str) -> &str {
    &fp[..fp.len().min(16)]
}

fn check_cell(report: &Report, row: &Row, mismatched: &[String]) -> String {
    if row.is_detkern() {
        if mismatched.contains(&row.key()) {
            "MISMATCH".into()
        } else {
            "ok".into()
        }
    } else {
        report.peer_verdict(row)
    }
}

/// The stdout table: one block per workload and size, one line per cell.
pub fn table(report: &Report) -> String {
    let mismatched: Vec<String> = report.mismatches().into_iter().map(|m| m.key).collect();
    let timed = report.rows.iter().any(|r| r.stats.is_some());
    let mut out = String::new();
    for key in report.keys() {
        let rows: Vec<&Row> = report.rows.iter().filter(|r| r.key() == key).collect();
        let unit = rows[0].work.unit();
        let _ = writeln!(out, "\n== {key} ==");
        if timed {
            let _ = writeln!(
                out,
                "  {:<26} {:>3} {:>10} {:>7} {:>10} {:>8}  {:<16}  bits",
                "contestant", "thr", "median", "spread", unit, "×fastest", "fingerprint"
            );
        } else {
            let _ = writeln!(
                out,
                "  {:<26} {:>3}  {:<16}  bits",
                "contestant", "thr", "fingerprint"
            );
        }
        for r in rows {
            let check = check_cell(report, r, &mismatched);
            match r.stats {
                Some(s) if timed => {
                    let ratio = report.ratio_to_fastest_peer(r).map_or("-".to_string(), num);
                    let _ = writeln!(
                        out,
                        "  {:<26} {:>3} {:>10} {:>6.0}% {:>10} {:>8}  {:<16}  {check}",
                        r.label(),
                        r.threads,
                        duration(s.median_s),
                        s.spread() * 100.0,
                        num(r.work.throughput(s.median_s)),
                        ratio,
                        short(&r.fingerprint),
                    );
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "  {:<26} {:>3}  {:<16}  {check}",
                        r.label(),
                        r.threads,
                        short(&r.fingerprint)
                    );
                }
            }
        }
    }
    out
}

/// The workload families in first-seen order.
fn families(report: &Report) -> Vec<String> {
    let mut f: Vec<String> = Vec::new();
    for r in &report.rows {
        if !f.contains(&r.workload) {
            f.push(r.workload.clone());
        }
    }
    f
}

/// `report.md`: machine, fingerprint table and one throughput table per workload family,
/// written to replace the tables of `docs/PERFORMANCE.md`. `svg` is the plot's file name, if
/// one was written next to it.
pub fn markdown(report: &Report, svg: Option<&str>) -> String {
    let m = &report.machine;
    let mut o = String::new();
    let _ = writeln!(o, "### Run\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| mode | `{}` |", report.mode);
    let _ = writeln!(o, "| CPU | `{}` ({}) |", m.cpu_model, m.arch);
    let _ = writeln!(o, "| cores | {} |", m.cores);
    let _ = writeln!(o, "| features | `{}` |", m.features.join(" "));
    let _ = writeln!(o, "| detkern paths | `{}` |", m.isas.join(" "));
    let _ = writeln!(
        o,
        "| thread counts | {} |",
        report
            .thread_counts()
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(o, "| git revision | `{}` |", report.git_revision);
    let _ = writeln!(
        o,
        "| versions | {} |",
        report
            .versions
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        o,
        "| load average (1/5/15 min) | start `{}`, end `{}` |",
        m.load_start, m.load_end
    );
    let _ = writeln!(o, "| wall time | {} |", duration(report.wall_s));
    o.push('\n');
    for n in &report.notes {
        let _ = writeln!(o, "- {n}");
    }

    let mismatches = report.mismatches();
    let _ = writeln!(o, "\n### Fingerprints\n");
    if mismatches.is_empty() {
        let _ = writeln!(
            o,
            "Every detkern fingerprint of a workload is the same across the paths and thread \
             counts that ran it. Peers: how many of their cells (peer × thread count) gave \
             detkern's bits.\n"
        );
    } else {
        let _ = writeln!(
            o,
            "**DETERMINISM FAILURE**: {} workloads have differing detkern fingerprints: {}.\n",
            mismatches.len(),
            mismatches
                .iter()
                .map(|m| format!("`{}`", m.key))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(
        o,
        "| workload | size | detkern fingerprint (first 16 hex) | detkern cells | peer cells with detkern's bits | peers whose bits vary with threads |"
    );
    let _ = writeln!(o, "|---|---|---|---:|---|---|");
    let fps = report.detkern_fingerprints();
    for key in report.keys() {
        let rows: Vec<&Row> = report.rows.iter().filter(|r| r.key() == key).collect();
        let det = rows.iter().filter(|r| r.is_detkern()).count();
        let fp = fps.get(&key).map_or("-", |f| short(f));
        let peers: Vec<&&Row> = rows.iter().filter(|r| !r.is_detkern()).collect();
        let same = peers
            .iter()
            .filter(|r| fps.get(&key) == Some(&r.fingerprint))
            .count();
        let mut varying: Vec<String> = peers
            .iter()
            .filter(|r| report.peer_verdict(r).ends_with("varies with threads"))
            .map(|r| r.contestant.clone())
            .collect();
        varying.dedup();
        let _ = writeln!(
            o,
            "| {} | {} | `{fp}`{} | {det} | {same} of {} | {} |",
            rows[0].workload,
            rows[0].size,
            if mismatches.iter().any(|m| m.key == key) {
                " **MISMATCH**"
            } else {
                ""
            },
            peers.len(),
            if varying.is_empty() {
                "-".to_string()
            } else {
                varying.join(", ")
            }
        );
    }

    if !report.rows.iter().any(|r| r.stats.is_some()) {
        return o;
    }
    let threads = report.thread_counts();
    let _ = writeln!(o, "\n### Throughput\n");
    if let Some(svg) = svg {
        let _ = writeln!(o, "![detkern vs peers]({svg})\n");
    }
    let _ = writeln!(
        o,
        "Median throughput per thread count, and in parentheses the speed relative to the \
         fastest peer at that thread count (peer time ÷ this time; above 1 is faster than every \
         peer). Spread = (slowest − fastest sample) ÷ median, largest over the row's cells. \
         \"bits\": whether a peer's output equals detkern's.\n"
    );
    for fam in families(report) {
        let rows: Vec<&Row> = report.rows.iter().filter(|r| r.workload == fam).collect();
        let unit = rows[0].work.unit();
        let _ = writeln!(o, "#### {fam} ({unit})\n");
        let mut header = "| size | contestant |".to_string();
        let mut rule = "|---|---|".to_string();
        for t in &threads {
            let _ = write!(header, " {t} thr |");
            rule.push_str("---:|");
        }
        let _ = writeln!(o, "{header} spread | bits |\n{rule}---:|---|");
        let mut done: Vec<(String, String)> = Vec::new();
        for r in &rows {
            let id = (r.size.clone(), r.label());
            if done.contains(&id) {
                continue;
            }
            done.push(id.clone());
            let cells: Vec<&&Row> = rows
                .iter()
                .filter(|x| x.size == id.0 && x.label() == id.1)
                .collect();
            let mut line = if r.is_detkern() {
                format!("| {} | **{}** |", r.size, r.label())
            } else {
                format!("| {} | {} |", r.size, r.label())
            };
            // Largest spread over the cells that took more than one sample.
            let mut spread: Option<f64> = None;
            for t in &threads {
                match cells.iter().find(|c| c.threads == *t) {
                    Some(c) => match (c.throughput(), c.stats) {
                        (Some(tp), Some(s)) => {
                            if s.samples > 1 {
                                spread = Some(spread.map_or(s.spread(), |x| x.max(s.spread())));
                            }
                            let ratio = report
                                .ratio_to_fastest_peer(c)
                                .map_or(String::new(), |x| format!(" ({})", num(x)));
                            let _ = write!(line, " {}{ratio} |", num(tp));
                        }
                        _ => line.push_str(" - |"),
                    },
                    None => line.push_str(" |"),
                }
            }
            let bits = if r.is_detkern() {
                String::new()
            } else {
                report
                    .peer_verdict(r)
                    .replace("same bits as detkern", "= detkern")
                    .replace("differs from detkern", "≠ detkern")
            };
            let spread = spread.map_or("1 sample".to_string(), |x| format!("{:.0}%", x * 100.0));
            let _ = writeln!(o, "{line} {spread} | {bits} |");
        }
        o.push('\n');
    }
    o
}
