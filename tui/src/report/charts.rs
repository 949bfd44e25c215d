//! The report's charts, drawn by plotters into SVG text that the HTML page inlines.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ReportInput, money};

const WIDTH: u32 = 860;
const HEIGHT: u32 = 340;
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
/// Incident rows drawn at most; the chart's caption says how many more there are, and
/// the report's incident table lists them all.
pub const MAX_INCIDENT_ROWS: usize = 40;

/// The timeline's caption, naming the incidents it does not draw.
pub fn timeline_caption(total: usize) -> String {
    if total > MAX_INCIDENT_ROWS {
        format!(
            "Incident timeline: the first {MAX_INCIDENT_ROWS} of {total}, and {} more in the table below",
            total - MAX_INCIDENT_ROWS
        )
    } else {
        "Incident timeline".to_string()
    }
}

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn chart_error(what: &str, err: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot draw the {what} chart: {err}")
}

/// One named line of (tick, value) points.
struct Line {
    name: String,
    points: Vec<(f64, f64)>,
}

/// Lines over ticks, with how to label them.
struct LineChart<'a> {
    caption: &'a str,
    y_desc: &'a str,
    lines: Vec<Line>,
    y_max: f64,
    y_format: &'a dyn Fn(&f64) -> String,
    x_max: f64,
}

impl LineChart<'_> {
    /// The chart as an SVG string.
    fn svg(&self) -> anyhow::Result<String> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw(&root).map_err(|e| chart_error(self.caption, e))?;
            root.present().map_err(|e| chart_error(self.caption, e))?;
        }
        Ok(svg)
    }

    fn draw(
        &self,
        root: &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
        let lines = &self.lines;
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(root)
            .caption(self.caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..self.x_max.max(1.0), 0f64..self.y_max)?;
        chart
            .configure_mesh()
            .x_desc("tick")
            .y_desc(self.y_desc)
            .y_label_formatter(self.y_format)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        for (i, line) in lines.iter().enumerate() {
            let c = color(i);
            chart
                .draw_series(LineSeries::new(
                    line.points.iter().copied(),
                    c.stroke_width(2),
                ))?
                .label(line.name.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2))
                });
        }
        if !lines.is_empty() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .draw()?;
        }
        Ok(())
    }
}

fn x_max(input: &ReportInput) -> f64 {
    f64::from(input.view.tick.max(1))
}

/// Regional mean service of each sector over time.
pub fn service_by_sector(input: &ReportInput) -> anyhow::Result<String> {
    let lines: Vec<Line> = input
        .view
        .sectors
        .iter()
        .enumerate()
        .filter_map(|(s, sector)| {
            let points: Vec<(f64, f64)> = input
                .samples
                .iter()
                .filter_map(|p| Some((f64::from(p.tick), (*p.sector_service.get(s)?)?)))
                .collect();
            (!points.is_empty()).then(|| Line {
                name: sector.name.clone(),
                points,
            })
        })
        .collect();
    let percent = |v: &f64| format!("{:.0}%", v * 100.0);
    LineChart {
        caption: "Service level by sector (regional mean)",
        y_desc: "service",
        lines,
        y_max: 1.05,
        y_format: &percent,
        x_max: x_max(input),
    }
    .svg()
}

/// Public trust of each economy over time.
pub fn trust_by_economy(input: &ReportInput) -> anyhow::Result<String> {
    let lines = economy_lines(input, |p| p.trust);
    let plain = |v: &f64| format!("{v:.0}");
    LineChart {
        caption: "Public trust by economy",
        y_desc: "trust (0-100)",
        lines,
        y_max: 105.0,
        y_format: &plain,
        x_max: x_max(input),
    }
    .svg()
}

/// Cumulative economic loss of each economy over time.
pub fn loss_by_economy(input: &ReportInput) -> anyhow::Result<String> {
    let lines = economy_lines(input, |p| p.loss);
    let top = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let dollars = |v: &f64| money(*v);
    LineChart {
        caption: "Cumulative economic loss by economy",
        y_desc: "loss (USD)",
        lines,
        y_max: (top * 1.05).max(1.0),
        y_format: &dollars,
        x_max: x_max(input),
    }
    .svg()
}

fn economy_lines(
    input: &ReportInput,
    value: fn(&cyberdrill_engine::view::EconomyPoint) -> f64,
) -> Vec<Line> {
    input
        .view
        .economies
        .iter()
        .map(|e| Line {
            name: e.name.clone(),
            points: e
                .history
                .iter()
                .map(|p| (f64::from(p.tick), value(p)))
                .collect(),
        })
        .collect()
}

/// Colours of the incident phases, shared with the HTML legend.
pub const UNDETECTED: RGBColor = RGBColor(214, 39, 40);
pub const DETECTED: RGBColor = RGBColor(255, 127, 14);
pub const CONTAINED: RGBColor = RGBColor(188, 189, 34);
pub const RECOVERED: RGBColor = RGBColor(44, 160, 44);

/// One bar per incident: undetected, detected, contained, until recovered.
pub fn incident_timeline(input: &ReportInput) -> anyhow::Result<String> {
    let rows: Vec<_> = input
        .view
        .incidents
        .iter()
        .take(MAX_INCIDENT_ROWS)
        .collect();
    let end = input.view.tick;
    let caption = timeline_caption(input.view.incidents.len());
    let labels: Vec<String> = rows
        .iter()
        .map(|i| {
            let name = input.asset_name(i.asset.index());
            let short: String = name.chars().take(22).collect();
            format!("#{} {short}", i.id.0)
        })
        .collect();
    let height = (80 + 18 * rows.len() as u32).max(160);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let draw = || -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
            root.fill(&WHITE)?;
            let n = rows.len().max(1) as i32;
            let mut chart = ChartBuilder::on(&root)
                .caption(&caption, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(190)
                .build_cartesian_2d(0f64..f64::from(end.max(1)), (0..n).into_segmented())?;
            chart
                .configure_mesh()
                .x_desc("tick")
                .y_labels(rows.len().max(1))
                .y_label_formatter(&|y| match y {
                    SegmentValue::CenterOf(i) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| labels.len().checked_sub(i + 1))
                        .and_then(|i| labels.get(i))
                        .cloned()
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                .disable_y_mesh()
                .draw()?;
            for (row, incident) in rows.iter().enumerate() {
                // The first incident on top.
                let row = (rows.len() - 1 - row) as i32;
                let Some(start) = incident.started_at.or(incident.detected_at) else {
                    continue;
                };
                // Each phase lasts until the next milestone reached (a hazard can be
                // recovered from without containment), or the end of the run.
                let detected = incident.detected_at;
                let contained = incident.contained_at;
                let recovered = incident.recovered_at;
                let phases = [
                    (
                        Some(start),
                        detected.or(contained).or(recovered),
                        UNDETECTED,
                    ),
                    (detected, contained.or(recovered), DETECTED),
                    (contained, recovered, CONTAINED),
                ];
                for (from, to, colour) in phases {
                    let Some(from) = from else { continue };
                    let to = to.unwrap_or(end).max(from);
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [
                            (f64::from(from), SegmentValue::Exact(row)),
                            (f64::from(to) + 0.02, SegmentValue::Exact(row + 1)),
                        ],
                        colour.filled(),
                    )))?;
                }
                if let Some(recovered) = incident.recovered_at {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [
                            (f64::from(recovered), SegmentValue::Exact(row)),
                            (f64::from(recovered) + 0.3, SegmentValue::Exact(row + 1)),
                        ],
                        RECOVERED.filled(),
                    )))?;
                }
            }
            Ok(())
        };
        draw().map_err(|e| chart_error("incident timeline", e))?;
        root.present()
            .map_err(|e| chart_error("incident timeline", e))?;
    }
    Ok(svg)
}

/// The hex colour of a plotters colour, for the HTML legend.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
