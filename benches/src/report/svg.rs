//! `report.svg`: one horizontal bar chart of throughput per workload at the largest thread count
//! of the run, detkern's fastest path against every peer, on a log scale relative to the fastest
//! peer (so workloads measured in GB/s, GFLOP/s and steps/s share one axis); each bar is
//! labelled with its absolute throughput.

use super::text::num;
use super::{Report, Row};
use std::fmt::Write;

const LABEL_W: f64 = 300.0;
const BAR_W: f64 = 480.0;
const VALUE_W: f64 = 150.0;
const ROW_H: f64 = 15.0;
const HEAD_H: f64 = 20.0;
const TOP: f64 = 58.0;
/// Log2 range of the axis (ratio to the fastest peer).
const LO: f64 = -7.0;
const HI: f64 = 3.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn x_of(ratio: f64) -> f64 {
    let l = ratio.log2().clamp(LO, HI);
    LABEL_W + (l - LO) / (HI - LO) * BAR_W
}

/// The bars of one key at `threads`: detkern's fastest path, then the peers fastest first.
fn bars<'a>(report: &'a Report, key: &str, threads: usize) -> Vec<&'a Row> {
    let rows: Vec<&Row> = report
        .rows
        .iter()
        .filter(|r| r.key() == key && r.threads == threads && r.stats.is_some())
        .collect();
    let time = |r: &&Row| r.stats.map_or(f64::INFINITY, |s| s.median_s);
    let mut out: Vec<&Row> = rows
        .iter()
        .filter(|r| r.is_detkern())
        .min_by(|a, b| time(a).total_cmp(&time(b)))
        .into_iter()
        .copied()
        .collect();
    let mut peers: Vec<&Row> = rows.into_iter().filter(|r| !r.is_detkern()).collect();
    peers.sort_by(|a, b| time(a).total_cmp(&time(b)));
    out.extend(peers);
    out
}

/// The plot, or `None` when the run was not timed.
pub fn plot(report: &Report) -> Option<String> {
    let threads = *report.thread_counts().last()?;
    let groups: Vec<(String, Vec<&Row>)> = report
        .keys()
        .into_iter()
        .map(|k| {
            let b = bars(report, &k, threads);
            (k, b)
        })
        .filter(|(_, b)| b.len() >= 2)
        .collect();
    if groups.is_empty() {
        return None;
    }
    let height = TOP
        + groups
            .iter()
            .map(|(_, b)| HEAD_H + ROW_H * b.len() as f64)
            .sum::<f64>()
        + 30.0;
    let width = LABEL_W + BAR_W + VALUE_W;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">"##
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="white"/>"##);
    let _ = writeln!(
        s,
        r##"<text x="10" y="18" font-size="14" font-weight="bold">detkern vs peers, {threads} threads: throughput relative to the fastest peer (log scale)</text>"##
    );
    let _ = writeln!(
        s,
        r##"<text x="10" y="34" fill="#555">{} · {} · git {} · blue: detkern's fastest path (deterministic), grey: peers; numbers are absolute throughput</text>"##,
        esc(&report.machine.cpu_model),
        esc(&report.mode),
        esc(&report.git_revision[..report.git_revision.len().min(10)])
    );
    // Axis ticks.
    let bottom = height - 24.0;
    let mut l = LO;
    while l <= HI {
        let x = x_of(l.exp2());
        let (stroke, w) = if l == 0.0 {
            ("#000", 1.2)
        } else {
            ("#ddd", 0.8)
        };
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="{stroke}" stroke-width="{w}"/>"##,
            TOP - 8.0
        );
        let label = if l >= 0.0 {
            format!("{}×", l.exp2())
        } else {
            format!("1/{}", (-l).exp2())
        };
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555">{label}</text>"##,
            TOP - 12.0
        );
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555">{label}</text>"##,
            bottom + 14.0
        );
        l += 1.0;
    }
    let mut y = TOP;
    for (key, rows) in &groups {
        let unit = rows[0].work.unit();
        let _ = writeln!(
            s,
            r##"<text x="10" y="{:.1}" font-weight="bold">{} ({unit})</text>"##,
            y + 14.0,
            esc(key)
        );
        y += HEAD_H;
        let fastest = report
            .fastest_peer(key, threads)
            .and_then(|p| p.stats)
            .map(|s| s.median_s);
        for r in rows {
            let st = r.stats.expect("timed");
            let ratio = fastest.map_or(1.0, |f| f / st.median_s);
            let x1 = x_of(ratio);
            let fill = if r.is_detkern() { "#1f6fd1" } else { "#9a9a9a" };
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                LABEL_W - 6.0,
                y + 11.0,
                esc(&r.label())
            );
            let _ = writeln!(
                s,
                r##"<rect x="{LABEL_W}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{}: {} {unit}, {}× fastest peer</title></rect>"##,
                y + 2.0,
                (x1 - LABEL_W).max(1.0),
                ROW_H - 4.0,
                esc(&r.label()),
                num(r.work.throughput(st.median_s)),
                num(ratio)
            );
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}">{} {unit} ({}×)</text>"##,
                LABEL_W + BAR_W + 6.0,
                y + 11.0,
                num(r.work.throughput(st.median_s)),
                num(ratio)
            );
            y += ROW_H;
        }
    }
    s.push_str("</svg>\n");
    Some(s)
}
