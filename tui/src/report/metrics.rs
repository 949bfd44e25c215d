//! The run's metrics (as `run --json` prints them) as tables a reader can scan: one
//! table of the headline figures, and one table per list (the economies, ...), each
//! value in its unit (money in the one money format, service in percent, times in
//! ticks and scenario time). Read from the JSON rather than the struct, so a figure
//! the engine adds appears here without a change to the report.

use serde_json::{Map, Value};

use super::charts::duration;
use super::tables::Table;
use super::{ReportInput, money};

/// The headline figures: every metric that is not a list, nested objects flattened
/// (`found_by › own`), in the order `run --json` prints them.
pub fn figures(input: &ReportInput) -> Table {
    let mut table = Table::with_titles(vec![
        ("metric".to_string(), false),
        ("value".to_string(), true),
    ]);
    let mut rows = Vec::new();
    if let Value::Object(map) = &input.metrics {
        flatten("", map, &mut rows);
    }
    for (name, value) in rows {
        if !matches!(value, Value::Array(_)) {
            table.push(vec![label(&name), format(&name, value, input)]);
        }
    }
    table
}

/// One table per list among the metrics whose items are objects (one row per item, one
/// column per field), titled by the list's name; lists of plain values become one-column
/// tables.
pub fn lists(input: &ReportInput) -> Vec<(String, Table)> {
    let mut rows = Vec::new();
    if let Value::Object(map) = &input.metrics {
        flatten("", map, &mut rows);
    }
    rows.into_iter()
        .filter_map(|(name, value)| match value {
            Value::Array(items) if !items.is_empty() => Some((label(&name), list(items, input))),
            _ => None,
        })
        .collect()
}

/// A list as a table: the fields of its items (in the first item's order, then any
/// other item's new ones) as columns.
fn list(items: &[Value], input: &ReportInput) -> Table {
    let flat: Vec<Vec<(String, &Value)>> = items
        .iter()
        .map(|item| {
            let mut fields = Vec::new();
            match item {
                Value::Object(map) => flatten("", map, &mut fields),
                other => fields.push(("value".to_string(), other)),
            }
            fields
        })
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for fields in &flat {
        for (name, _) in fields {
            if !columns.contains(name) {
                columns.push(name.clone());
            }
        }
    }
    let numeric = |name: &str| {
        flat.iter().all(|fields| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .is_none_or(|(_, v)| matches!(v, Value::Number(_) | Value::Null))
        })
    };
    let mut table = Table::with_titles(
        columns
            .iter()
            .map(|name| (label(name), numeric(name)))
            .collect(),
    );
    for fields in &flat {
        table.push(
            columns
                .iter()
                .map(|name| {
                    fields
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or_else(|| "–".to_string(), |(_, v)| format(name, v, input))
                })
                .collect(),
        );
    }
    table
}

/// Every field of `map`, nested objects flattened with `.` (lists kept whole).
fn flatten<'a>(prefix: &str, map: &'a Map<String, Value>, out: &mut Vec<(String, &'a Value)>) {
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten(&name, inner, out),
            other => out.push((name, other)),
        }
    }
}

/// A metric's name in words: `mean_time_to_detect` is `mean time to detect`,
/// `loss_breakdown.direct` is `loss breakdown › direct`.
fn label(name: &str) -> String {
    name.replace('_', " ").replace('.', " › ")
}

/// A value in its unit, told by its name: money for losses and output (the regional loss
/// with its share of the region's output), percent for
/// service and availability, ticks and scenario time for times, `–` for nothing.
fn format(name: &str, value: &Value, input: &ReportInput) -> String {
    let leaf = name.rsplit('.').next().unwrap_or(name);
    match value {
        Value::Null => "–".to_string(),
        Value::Number(n) => {
            let Some(f) = n.as_f64() else {
                return n.to_string();
            };
            if name == "regional_loss" {
                // In context: its share of the region's output for the exercise (an
                // economy's row of the economies' list has its output beside its loss).
                let output: f64 = input.view.economies.iter().map(|e| e.output).sum();
                cyberdrill_engine::money::brief(f, output)
            } else if name.contains("loss") || leaf.contains("output") || leaf.contains("ransom") {
                money(f)
            } else if leaf.contains("service") || leaf.contains("availability") {
                crate::text::percent(f)
            } else if leaf.starts_with("mean_time_to") {
                let minutes = (f * f64::from(input.view.tick_minutes)).round().max(0.0);
                // Whole minutes of a run's length: far below u64::MAX.
                format!("{f:.1} ticks ({})", duration(minutes as u64))
            } else if let Some(i) = n.as_i64() {
                i.to_string()
            } else {
                format!("{f:.1}")
            }
        }
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Array(items) => format!("{} item(s)", items.len()),
        Value::Object(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_told_in_their_units() {
        let mut input =
            crate::report::tests::regional_input(cyberdrill_engine::policy::Policy::Idle, 2);
        input.view.tick_minutes = 30;
        let v = |j: &str| serde_json::from_str::<Value>(j).expect("json");
        let region: f64 = input.view.economies.iter().map(|e| e.output).sum();
        assert!(region > 0.0);
        assert_eq!(
            format("regional_loss", &v("1234567.0"), &input),
            cyberdrill_engine::money::brief(1234567.0, region)
        );
        assert_eq!(
            format("economies.loss", &v("2500.0"), &input),
            money(2500.0)
        );
        assert_eq!(format("mean_availability", &v("0.934"), &input), "93%");
        assert_eq!(
            format("mean_time_to_detect", &v("5.0"), &input),
            "5.0 ticks (2h 30m)"
        );
        assert_eq!(format("mean_time_to_contain", &v("null"), &input), "–");
        assert_eq!(format("incidents", &v("12"), &input), "12");
        assert_eq!(format("min_trust", &v("61.24"), &input), "61.2");
        assert_eq!(label("loss_breakdown.direct"), "loss breakdown › direct");
    }

    #[test]
    fn every_metric_is_in_a_table_and_lists_are_tables_of_their_own() {
        let input = crate::report::tests::regional_input(
            cyberdrill_engine::policy::Policy::Cooperative,
            10,
        );
        let figures = figures(&input);
        let names: Vec<&str> = figures.rows.iter().map(|r| r[0].as_str()).collect();
        assert!(names.contains(&"regional loss") && names.contains(&"incidents"));
        assert!(!names.contains(&"economies"), "a list is not a figure");
        let lists = lists(&input);
        let (title, economies) = lists
            .iter()
            .find(|(title, _)| title == "economies")
            .expect("the economies' list");
        assert_eq!(title, "economies");
        assert_eq!(economies.rows.len(), input.view.economies.len());
        let loss = economies
            .columns
            .iter()
            .position(|c| c.title == "loss")
            .expect("a loss column");
        for (row, economy) in economies.rows.iter().zip(&input.view.economies) {
            assert_eq!(row[loss], money(economy.loss));
        }
    }
}
