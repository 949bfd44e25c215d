//! Where the money went: each economy's loss by cause (direct outage, outage through
//! dependencies, fraud, ransom, recovery) as a stacked bar of its share of the economy's
//! output for the exercise (economies of very different size side by side), and as a
//! table with the output, the loss in context and each cause in dollars. The causes and
//! their sources are in `docs/model.md` ("Economic loss"); the numbers are the
//! facilitator's view, which sees every economy in full.

use cyberdrill_engine::economics::{Cause, LossBreakdown};
use cyberdrill_engine::money;
use plotters::prelude::*;

use super::ReportInput;
use super::charts::render_svg;
use super::tables::Table;

const WIDTH: u32 = 860;
/// Height of one economy's bar, and of the chart's caption, axis and legend.
const ROW: u32 = 30;
const CHROME: u32 = 150;

/// One colour per cause, in the order of [`Cause::ALL`].
pub const CAUSE_COLOURS: [RGBColor; 5] = [
    RGBColor(31, 119, 180),
    RGBColor(174, 199, 232),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
];

/// One economy: its name, output over the exercise, loss and the loss by cause.
#[derive(Debug, Clone, PartialEq)]
pub struct CauseRow {
    pub economy: String,
    pub output: f64,
    pub loss: f64,
    pub breakdown: LossBreakdown,
}

impl CauseRow {
    /// The row's cells as the report prints them, matching [`table`]'s columns.
    pub fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.economy.clone(),
            money::short(self.output),
            money::short(self.loss),
            money::share(self.loss, self.output),
        ];
        cells.extend(
            Cause::ALL
                .iter()
                .map(|c| money::short(self.breakdown.part(*c))),
        );
        cells
    }
}

/// Every economy the view breaks down, in scenario order.
pub fn rows(input: &ReportInput) -> Vec<CauseRow> {
    input
        .view
        .economies
        .iter()
        .filter_map(|e| {
            Some(CauseRow {
                economy: e.name.clone(),
                output: e.output,
                loss: e.loss,
                breakdown: e.loss_breakdown?,
            })
        })
        .collect()
}

/// The table: economy, output over the exercise, loss, its share of output, then each
/// cause.
pub fn table(input: &ReportInput) -> Table {
    let mut columns: Vec<(String, bool)> = vec![
        ("economy".to_string(), false),
        ("output (exercise)".to_string(), true),
        ("loss".to_string(), true),
        ("share of output".to_string(), true),
    ];
    columns.extend(Cause::ALL.iter().map(|c| (c.label().to_string(), true)));
    let mut table = Table::with_titles(columns);
    for row in rows(input) {
        table.push(row.cells());
    }
    table
}

/// Outage loss by sector: one row per economy and sector that lost output, the
/// economy's largest first, with its share of the economy's output for the exercise.
pub fn by_sector(input: &ReportInput) -> Table {
    let mut table = share_table("sector");
    let sectors = &input.view.sectors;
    for e in input
        .view
        .economies
        .iter()
        .filter(|e| e.loss_breakdown.is_some())
    {
        let rows: Vec<(f64, &str)> = e
            .sectors_by_loss(sectors)
            .into_iter()
            .map(|(loss, sector)| (loss, sector.name.as_str()))
            .collect();
        for (loss, sector) in rows {
            table.push(share_row(&e.name, sector, loss, e.output));
        }
    }
    table
}

/// The assets whose outages cost each economy most (an asset serving several economies
/// costs each its share), largest first, with the share of the economy's output.
pub fn top_assets(input: &ReportInput) -> Table {
    let mut table = share_table("asset");
    for e in input
        .view
        .economies
        .iter()
        .filter(|e| e.loss_breakdown.is_some())
    {
        for asset in &e.top_assets {
            table.push(share_row(&e.name, &asset.name, asset.loss, e.output));
        }
    }
    table
}

/// Columns economy, `what`, loss, share of output.
fn share_table(what: &str) -> Table {
    Table::with_titles(vec![
        ("economy".to_string(), false),
        (what.to_string(), false),
        ("loss".to_string(), true),
        ("share of output".to_string(), true),
    ])
}

fn share_row(economy: &str, what: &str, loss: f64, output: f64) -> Vec<String> {
    vec![
        economy.to_string(),
        what.to_string(),
        money::short(loss),
        money::share(loss, output),
    ]
}

/// One sentence per economy for text formats without the chart: `Norvale: $52M, 0.4% of
/// Norvale's output for the exercise; mostly direct outage ($40M)`.
pub fn sentences(input: &ReportInput) -> Vec<String> {
    rows(input)
        .iter()
        .map(|row| {
            let context = money::in_context(row.loss, row.output, &row.economy);
            let largest = Cause::ALL
                .iter()
                .map(|c| (*c, row.breakdown.part(*c)))
                .filter(|(_, part)| *part > 0.0)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match largest {
                Some((cause, part)) => format!(
                    "{}: {context}; mostly {} ({})",
                    row.economy,
                    cause.label(),
                    money::short(part)
                ),
                None => format!("{}: {context}", row.economy),
            }
        })
        .collect()
}

/// The stacked bar chart, one bar per economy (the first on top), each cause's part of
/// the economy's output for the exercise, as SVG text.
pub fn svg(input: &ReportInput) -> anyhow::Result<String> {
    let rows = rows(input);
    let n = rows.len().max(1);
    let height = CHROME + ROW * n as u32;
    // Percent of output, per row and cause.
    let parts: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| {
            Cause::ALL
                .iter()
                .map(|c| {
                    if row.output > 0.0 {
                        100.0 * row.breakdown.part(*c) / row.output
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let top = parts
        .iter()
        .map(|p| p.iter().sum::<f64>())
        .fold(0.0f64, f64::max)
        .max(1e-6)
        * 1.1;
    let names: Vec<String> = rows.iter().map(|r| r.economy.clone()).collect();
    render_svg("loss by cause", (WIDTH, height), |root| {
        root.fill(&WHITE)?;
        let count = n as i32;
        let mut chart = ChartBuilder::on(root)
            .caption(
                "Loss by cause, share of each economy's output for the exercise",
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..top, (0..count).into_segmented())?;
        chart
            .configure_mesh()
            .x_desc("share of the economy's output for the exercise")
            .x_label_formatter(&|v| money::share(*v, 100.0))
            .y_labels(n)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| names.len().checked_sub(i + 1))
                    .and_then(|i| names.get(i))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .disable_y_mesh()
            .draw()?;
        for (k, cause) in Cause::ALL.iter().enumerate() {
            let colour = CAUSE_COLOURS[k];
            let bars: Vec<Rectangle<(f64, SegmentValue<i32>)>> = parts
                .iter()
                .enumerate()
                .map(|(i, part)| {
                    // The first economy on top.
                    let row = (parts.len() - 1 - i) as i32;
                    let before: f64 = part[..k].iter().sum();
                    Rectangle::new(
                        [
                            (before, SegmentValue::Exact(row)),
                            (before + part[k], SegmentValue::Exact(row + 1)),
                        ],
                        colour.filled(),
                    )
                })
                .collect();
            chart
                .draw_series(bars)?
                .label(cause.label())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, direct: f64, fraud: f64) -> CauseRow {
        CauseRow {
            economy: name.into(),
            output: 1e9,
            loss: direct + fraud,
            breakdown: LossBreakdown {
                direct,
                fraud,
                ..LossBreakdown::default()
            },
        }
    }

    #[test]
    fn a_row_gives_the_loss_in_context_and_every_cause() {
        let cells = row("Norvale", 4e6, 1e6).cells();
        assert_eq!(
            cells,
            [
                "Norvale", "$1B", "$5M", "0.5%", "$4M", "$0", "$1M", "$0", "$0"
            ]
        );
    }
}
