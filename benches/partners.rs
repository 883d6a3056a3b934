//! Benchmark of partner matching on synthetic catalogues held in memory.
//!
//! `cargo bench --bench partners` (default sizes 1,000, 10,000 and 100,000
//! firms) or `cargo bench --bench partners -- 100000`. For each size it
//! builds a catalogue like `benches/gen_catalogue.py` does (Zipf-like tag
//! popularity, a two-level vocabulary, kinds, scales and places in the
//! Cimahi proportions), runs `partners::suggest_all` three times and prints
//! the median wall time, firms per second, suggestions made, and the
//! process's peak resident memory (VmHWM). Results: docs/performance.md.

use std::time::Instant;

#[path = "common/catalogue.rs"]
mod catalogue;
use catalogue::catalogue;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000, 100_000] } else { sizes };
    println!("| firms | median of 3 | firms/s | suggestions | peak RSS (process) |");
    println!("|---:|---:|---:|---:|---:|");
    for n in sizes {
        let site = catalogue(n);
        let mut times = Vec::new();
        let mut made = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let lists = gotong::partners::suggest_all(&site);
            times.push(t.elapsed());
            made = lists.iter().map(Vec::len).sum::<usize>();
        }
        times.sort();
        let median = times[1];
        println!(
            "| {n} | {:.3} s | {:.0} | {made} | {:.0} MiB |",
            median.as_secs_f64(),
            n as f64 / median.as_secs_f64(),
            peak_rss_mib()
        );
    }
}
