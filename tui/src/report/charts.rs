//! The report's charts, drawn by plotters into SVG text that the HTML page inlines.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ReportInput, money};

pub(super) const WIDTH: u32 = 860;
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
/// Incident rows in one timeline chart: more incidents are drawn in further charts of
/// as many rows each, so that every incident is on a chart and none is left out.
pub const MAX_INCIDENT_ROWS: usize = 40;

/// A timeline chart's caption: which incidents it draws when there are several charts.
pub fn timeline_caption(first: usize, last: usize, total: usize) -> String {
    if total > MAX_INCIDENT_ROWS {
        format!("Incident timeline: incidents {first} to {last} of {total}")
    } else {
        "Incident timeline".to_string()
    }
}

pub(super) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub(super) fn chart_error(what: &str, err: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot draw the {what} chart: {err}")
}

/// Draws an SVG of `size` with `draw`, naming `what` in any error: the one place that sets
/// up plotters' SVG backend for every chart of the report.
pub(super) fn render_svg(
    what: &str,
    size: (u32, u32),
    draw: impl FnOnce(
        &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<std::io::Error>>,
) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root).map_err(|e| chart_error(what, e))?;
        root.present().map_err(|e| chart_error(what, e))?;
    }
    Ok(svg)
}

/// The time axis's title: ticks, and how long one is in the scenario.
pub(super) fn tick_axis(tick_minutes: u32) -> String {
    format!(
        "tick (1 tick = {} of scenario time)",
        duration(u64::from(tick_minutes))
    )
}

/// A tick on a time axis with the scenario time it stands for: `12 (6h)`, `60 (1d 6h)`;
/// nothing between whole ticks.
pub(super) fn tick_label(tick: f64, tick_minutes: u32) -> String {
    if tick < 0.0 || tick.fract().abs() > 1e-9 {
        return String::new();
    }
    // A whole, non-negative tick below 2^32: its minutes fit in a u64.
    let minutes = tick as u64 * u64::from(tick_minutes);
    format!("{tick:.0} ({})", duration(minutes))
}

/// Scenario time in words: `45m`, `6h`, `6h 30m`, `1d`, `1d 6h`.
pub fn duration(minutes: u64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
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
    y_min: f64,
    y_format: &'a dyn Fn(&f64) -> String,
    x_max: f64,
    /// Scenario minutes per tick, for the time axis.
    tick_minutes: u32,
}

impl LineChart<'_> {
    /// The chart as an SVG string.
    fn svg(&self) -> anyhow::Result<String> {
        render_svg(self.caption, (WIDTH, HEIGHT), |root| self.draw(root))
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
            .build_cartesian_2d(0f64..self.x_max.max(1.0), self.y_min..self.y_max)?;
        let minutes = self.tick_minutes;
        chart
            .configure_mesh()
            .x_desc(tick_axis(minutes))
            .x_label_formatter(&|t| tick_label(*t, minutes))
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
    let percent = |v: &f64| crate::text::percent(*v);
    LineChart {
        caption: "Service level by sector (regional mean)",
        y_desc: "service",
        lines,
        y_max: 1.05,
        y_min: 0.0,
        y_format: &percent,
        x_max: x_max(input),
        tick_minutes: input.view.tick_minutes,
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
        y_min: 0.0,
        y_format: &plain,
        x_max: x_max(input),
        tick_minutes: input.view.tick_minutes,
    }
    .svg()
}

/// How many times the largest economy's loss must exceed the smallest one's (of those
/// with any loss) before the loss chart switches to a logarithmic scale: past it, the
/// small economies' lines lie flat on the axis of a linear chart.
pub const LOG_SCALE_RATIO: f64 = 20.0;

/// Whether losses this far apart need a logarithmic scale to all be read.
pub fn needs_log_scale(final_losses: &[f64]) -> bool {
    let positive = final_losses.iter().copied().filter(|l| *l > 0.0);
    let (low, high) = positive.fold((f64::INFINITY, 0.0f64), |(lo, hi), l| {
        (lo.min(l), hi.max(l))
    });
    high > 0.0 && high >= low * LOG_SCALE_RATIO
}

/// Cumulative economic loss of each economy over time; on a logarithmic scale when one
/// economy's loss dwarfs another's ([`needs_log_scale`]), so that every line can be read.
pub fn loss_by_economy(input: &ReportInput) -> anyhow::Result<String> {
    let mut lines = economy_lines(input, |p| p.loss);
    let finals: Vec<f64> = input.view.economies.iter().map(|e| e.loss).collect();
    let top = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    if !needs_log_scale(&finals) {
        let dollars = |v: &f64| money(*v);
        return LineChart {
            caption: "Cumulative economic loss by economy",
            y_desc: "loss (USD)",
            lines,
            y_max: (top * 1.05).max(1.0),
            y_min: 0.0,
            y_format: &dollars,
            x_max: x_max(input),
            tick_minutes: input.view.tick_minutes,
        }
        .svg();
    }
    // Plotted as log10 of the loss from a floor a power of ten below the smallest loss
    // (zero losses sit on the floor), labelled back in dollars.
    let smallest = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|v| *v > 0.0)
        .fold(top, f64::min);
    let floor = smallest.log10().floor().max(0.0);
    for line in &mut lines {
        for point in &mut line.points {
            point.1 = point.1.max(1.0).log10().max(floor);
        }
    }
    let dollars = |v: &f64| money(10f64.powf(*v));
    LineChart {
        caption: "Cumulative economic loss by economy (logarithmic scale)",
        y_desc: "loss (USD, log scale)",
        lines,
        y_max: (top.log10() + 0.1).max(floor + 1.0),
        y_min: floor,
        y_format: &dollars,
        x_max: x_max(input),
        tick_minutes: input.view.tick_minutes,
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

/// One bar per incident: undetected, detected, contained, until recovered; one chart
/// per [`MAX_INCIDENT_ROWS`] incidents, in id order.
pub fn incident_timelines(input: &ReportInput) -> anyhow::Result<Vec<String>> {
    let incidents = &input.view.incidents;
    incidents
        .chunks(MAX_INCIDENT_ROWS)
        .enumerate()
        .map(|(page, rows)| {
            let first = page * MAX_INCIDENT_ROWS + 1;
            let caption = timeline_caption(first, first + rows.len() - 1, incidents.len());
            incident_timeline(input, rows, &caption)
        })
        .collect()
}

/// The timeline chart of `rows`.
fn incident_timeline(
    input: &ReportInput,
    rows: &[cyberdrill_engine::view::IncidentView],
    caption: &str,
) -> anyhow::Result<String> {
    let end = input.view.tick;
    let labels: Vec<String> = rows
        .iter()
        .map(|i| {
            let name = input.asset_name(i.asset.index());
            let short: String = name.chars().take(22).collect();
            format!("#{} {short}", i.id.0)
        })
        .collect();
    let height = (80 + 18 * rows.len() as u32).max(160);
    render_svg("incident timeline", (WIDTH, height), |root| {
        root.fill(&WHITE)?;
        let n = rows.len().max(1) as i32;
        let mut chart = ChartBuilder::on(root)
            .caption(caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..f64::from(end.max(1)), (0..n).into_segmented())?;
        let minutes = input.view.tick_minutes;
        chart
            .configure_mesh()
            .x_desc(tick_axis(minutes))
            .x_label_formatter(&|t| tick_label(*t, minutes))
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
    })
}

/// The hex colour of a plotters colour, for the HTML legend.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
