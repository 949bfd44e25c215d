//! The percentile summary a batch prints, built from the numbers of the JSONL lines:
//! `batch merge` of a batch's shards parses the lines, the batch itself reads the values
//! the lines are written from, and serde_json reads every float back exactly as written
//! (`float_roundtrip`), so both print the same summary, byte for byte.

use std::collections::HashMap;
use std::ops::Range;

use anyhow::{Context, bail};

/// What the summary needs of one JSONL line.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub scenario: String,
    pub seed: u64,
    pub policy: String,
    /// The numeric leaves of `metrics`, by dotted path, in document order.
    pub metrics: Vec<(String, f64)>,
}

impl RunRecord {
    /// Reads one line as `batch` writes it.
    pub fn parse(line: &str) -> anyhow::Result<Self> {
        let value: serde_json::Value =
            serde_json::from_str(line).context("not a JSON object as `batch` writes them")?;
        Self::written(&value)
    }

    /// The record of the line `value` is written as, without printing and parsing it:
    /// serde_json reads every float back exactly as written (its `float_roundtrip`
    /// feature), so this is the record `batch merge` reads back from the line.
    pub fn written(value: &serde_json::Value) -> anyhow::Result<Self> {
        let text = |key: &str| -> anyhow::Result<String> {
            match value.get(key).and_then(serde_json::Value::as_str) {
                Some(s) => Ok(s.to_string()),
                None => bail!("no `{key}` string: not a line `batch` wrote"),
            }
        };
        let Some(seed) = value.get("seed").and_then(serde_json::Value::as_u64) else {
            bail!("no `seed` number: not a line `batch` wrote");
        };
        let mut metrics = Vec::new();
        if let Some(m) = value.get("metrics") {
            collect_numbers(&mut String::new(), m, &mut metrics);
        }
        in_context(&mut metrics);
        Ok(Self {
            scenario: text("scenario")?,
            seed,
            policy: text("policy")?,
            metrics,
        })
    }
}

/// The regional loss in context: its share of the region's output for the exercise (the
/// economies' `output`), in percent, as `regional_loss_percent_of_output` after the
/// metrics (a line without outputs gets none).
fn in_context(metrics: &mut Vec<(String, f64)>) {
    let output: f64 = metrics
        .iter()
        .filter(|(name, _)| name.starts_with("economies.") && name.ends_with(".output"))
        .map(|(_, v)| v)
        .sum();
    let loss = metrics
        .iter()
        .find(|(name, _)| name == "regional_loss")
        .map(|(_, v)| *v);
    if let Some(loss) = loss
        && output > 0.0
    {
        metrics.push((
            "regional_loss_percent_of_output".to_string(),
            100.0 * loss / output,
        ));
    }
}

/// Pushes the numeric leaves under `value`, named by their dotted path from `path` (an
/// array's elements by their `id` string, else their index).
fn collect_numbers(path: &mut String, value: &serde_json::Value, out: &mut Vec<(String, f64)>) {
    let child = |path: &mut String, name: &str, v: &serde_json::Value, out: &mut Vec<_>| {
        let len = path.len();
        if len > 0 {
            path.push('.');
        }
        path.push_str(name);
        collect_numbers(path, v, out);
        path.truncate(len);
    };
    match value {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                out.push((path.clone(), f));
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                child(path, k, v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                match v.get("id").and_then(serde_json::Value::as_str) {
                    Some(id) => child(path, id, v, out),
                    None => child(path, &i.to_string(), v, out),
                }
            }
        }
        _ => {}
    }
}

/// Every metric's values per policy, gathered run by run.
#[derive(Debug, Default)]
pub struct Summary {
    policies: Vec<String>,
    names: Vec<String>,
    by_name: HashMap<String, usize>,
    /// `values[metric][policy]`: the finite values seen.
    values: Vec<Vec<Vec<f64>>>,
    runs: u64,
}

impl Summary {
    /// A summary whose policy columns come in this order (a policy first seen in a run
    /// is appended).
    pub fn with_policies(policies: Vec<String>) -> Self {
        Self {
            policies,
            ..Self::default()
        }
    }

    pub fn runs(&self) -> u64 {
        self.runs
    }

    pub fn add(&mut self, record: &RunRecord) {
        self.runs += 1;
        let p = match self.policies.iter().position(|p| *p == record.policy) {
            Some(p) => p,
            None => {
                self.policies.push(record.policy.clone());
                for per_policy in &mut self.values {
                    per_policy.push(Vec::new());
                }
                self.policies.len() - 1
            }
        };
        // Runs of one scenario mostly share their metrics, in the same order (some runs
        // lacking some): the metric after the one just seen is the likeliest, and cheaper
        // to check than a lookup.
        let mut next = 0;
        for (name, value) in &record.metrics {
            let m = if self.names.get(next) == Some(name) {
                next
            } else if let Some(&m) = self.by_name.get(name) {
                m
            } else {
                self.by_name.insert(name.clone(), self.names.len());
                self.names.push(name.clone());
                self.values.push(vec![Vec::new(); self.policies.len()]);
                self.names.len() - 1
            };
            next = m + 1;
            if value.is_finite() {
                self.values[m][p].push(*value);
            }
        }
    }

    /// Every metric's spread per policy, metrics in first-seen order.
    pub fn spreads(&self) -> Vec<(&str, Vec<Spread>)> {
        self.names
            .iter()
            .zip(&self.values)
            .map(|(name, per_policy)| {
                let spreads = per_policy
                    .iter()
                    .map(|values| {
                        let mut sorted = values.clone();
                        sorted.sort_by(f64::total_cmp);
                        Spread {
                            p5: percentile(&sorted, 5.0),
                            p50: percentile(&sorted, 50.0),
                            p95: percentile(&sorted, 95.0),
                        }
                    })
                    .collect();
                (name.as_str(), spreads)
            })
            .collect()
    }

    /// The percentile table: p5/p50/p95 columns for one policy, or one `p50 [p5, p95]`
    /// column per policy side by side.
    pub fn table(&self) -> String {
        let rows = self.spreads();
        let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(6).max(6);
        let mut out = String::new();
        if let [policy] = self.policies.as_slice() {
            out.push_str(&format!(
                "policy {policy}\n{:<width$}  {:>14}  {:>14}  {:>14}\n",
                "metric", "p5", "p50", "p95"
            ));
            for (name, spread) in &rows {
                let s = spread[0];
                out.push_str(&format!(
                    "{name:<width$}  {:>14}  {:>14}  {:>14}\n",
                    number(s.p5),
                    number(s.p50),
                    number(s.p95)
                ));
            }
        } else {
            out.push_str(&format!("{:<width$}", "metric: p50 [p5, p95]"));
            for p in &self.policies {
                out.push_str(&format!("  {p:>36}"));
            }
            out.push('\n');
            for (name, spread) in &rows {
                out.push_str(&format!("{name:<width$}"));
                for s in spread {
                    let cell = format!("{} [{}, {}]", number(s.p50), number(s.p5), number(s.p95));
                    out.push_str(&format!("  {cell:>36}"));
                }
                out.push('\n');
            }
        }
        out
    }
}

/// The line above the table: how many runs of what, which seeds, where written.
pub fn header(
    runs: u64,
    scenario: &str,
    seeds: &Range<u64>,
    shard: Option<String>,
    out: &str,
) -> String {
    format!(
        "{runs} run(s) of {scenario} (seeds {}..={}{}) written to {out}\n\n",
        seeds.start,
        seeds.end.saturating_sub(1),
        shard.map(|s| format!(", shard {s}")).unwrap_or_default(),
    )
}

/// Nearest-rank percentile of sorted values (`p` in 0-100).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// p5, p50 and p95 of one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "-".to_string()
    } else if (v.fract() == 0.0 && v.abs() < 1e15) || v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A float serde_json's default parser read back one unit off in the last place
    /// reads back exactly (`float_roundtrip`): a batch's own record of a run and the
    /// record `batch merge` reads from its line hold the same number.
    #[test]
    fn a_written_float_reads_back_exactly() {
        let x = 957_029.452_054_794_3_f64;
        let read_back: f64 =
            serde_json::from_str(&serde_json::to_string(&x).expect("json")).expect("a number");
        assert_eq!(x, read_back);
        let value = serde_json::json!({
            "scenario": "s", "seed": 1, "policy": "idle", "metrics": {"regional_loss": x}
        });
        let written = RunRecord::written(&value).expect("a record");
        assert_eq!(written.metrics, [("regional_loss".to_string(), x)]);
        assert_eq!(
            written,
            RunRecord::parse(&value.to_string()).expect("a line")
        );
    }

    fn record(policy: &str, seed: u64, loss: f64) -> RunRecord {
        RunRecord {
            scenario: "s".to_string(),
            seed,
            policy: policy.to_string(),
            metrics: vec![("regional_loss".to_string(), loss)],
        }
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 5.0), 5.0);
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 95.0), 95.0);
        assert_eq!(percentile(&[7.0], 5.0), 7.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn summary_puts_policies_side_by_side() {
        let mut summary = Summary::with_policies(vec!["idle".into(), "cooperative".into()]);
        for r in [
            record("idle", 0, 100.0),
            record("cooperative", 0, 10.0),
            record("idle", 1, 300.0),
            record("cooperative", 1, 30.0),
        ] {
            summary.add(&r);
        }
        assert_eq!(summary.runs(), 4);
        let table = summary.table();
        assert!(
            table.contains("idle") && table.contains("cooperative"),
            "{table}"
        );
        assert!(table.contains("100 [100, 300]"), "{table}");
        assert!(table.contains("10 [10, 30]"), "{table}");
        let mut single = Summary::default();
        single.add(&record("idle", 0, 100.0));
        single.add(&record("idle", 1, 300.0));
        let single = single.table();
        assert!(
            single.starts_with("policy idle") && single.contains("p95") && single.contains("300"),
            "{single}"
        );
    }

    /// Runs lacking some metrics, or giving them in another order, still add each value
    /// to its own metric (the summary guesses the next metric, then looks it up).
    #[test]
    fn each_value_goes_to_its_metric_whatever_the_runs_lack() {
        let run = |metrics: &[(&str, f64)]| RunRecord {
            scenario: "s".to_string(),
            seed: 0,
            policy: "idle".to_string(),
            metrics: metrics.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
        };
        let mut summary = Summary::default();
        summary.add(&run(&[("a", 1.0), ("b", 10.0), ("c", 100.0)]));
        summary.add(&run(&[("a", 2.0), ("c", 200.0)]));
        summary.add(&run(&[("c", 300.0), ("d", 4000.0), ("a", 3.0)]));
        summary.add(&run(&[("b", 20.0), ("a", 4.0), ("b", 30.0)]));
        let spreads = summary.spreads();
        let names: Vec<&str> = spreads.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        let values: Vec<&Vec<f64>> = summary.values.iter().map(|per| &per[0]).collect();
        assert_eq!(
            values,
            [
                &vec![1.0, 2.0, 3.0, 4.0],
                &vec![10.0, 20.0, 30.0],
                &vec![100.0, 200.0, 300.0],
                &vec![4000.0]
            ]
        );
    }

    /// The regional loss is put in context: a share of the economies' output.
    #[test]
    fn the_regional_loss_comes_with_its_percent_of_the_regions_output() {
        let line = r#"{"scenario":"x","seed":3,"policy":"idle","metrics":{"regional_loss":30,"economies":[{"id":"a","loss":10,"output":1000},{"id":"b","loss":20,"output":3000}]}}"#;
        let run = RunRecord::parse(line).expect("line");
        assert_eq!(
            run.metrics.last(),
            Some(&("regional_loss_percent_of_output".to_string(), 0.75))
        );
    }

    #[test]
    fn metrics_are_flattened_by_path() {
        let line = r#"{"scenario":"x","seed":3,"policy":"idle","metrics":{"regional_loss":12.5,"economies":[{"id":"arc","loss":2}],"note":"x"}}"#;
        let run = RunRecord::parse(line).expect("line");
        assert_eq!(run.seed, 3);
        assert_eq!(
            run.metrics,
            vec![
                ("economies.arc.loss".to_string(), 2.0),
                ("regional_loss".to_string(), 12.5)
            ]
        );
        for bad in [
            "",
            "[1]",
            r#"{"seed":1,"policy":"idle"}"#,
            "{\"scenario\":\"x\"}",
        ] {
            assert!(RunRecord::parse(bad).is_err(), "{bad}");
        }
    }
}
