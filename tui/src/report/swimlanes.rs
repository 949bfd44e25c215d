//! Swimlane charts: one lane per economy or actor over the exercise's ticks, with marks
//! where something happened to it. Who knew of each incident when (a lane per economy,
//! lines from who told to who was told) and the decisions over time (a lane per actor).

use plotters::coord::Shift;
use plotters::prelude::*;

use cyberdrill_engine::scenario::model::CampaignIdx;
use cyberdrill_engine::view::Source;

use super::charts::{WIDTH, color, render_svg, tick_axis, tick_label};
use super::{ReportInput, analysis, knowledge};

/// How a mark on a swimlane is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// An open circle: a compromise began.
    Ring,
    /// A filled dot: an economy detected an incident itself.
    Dot,
    /// A filled triangle: indicators were shared with an economy.
    Triangle,
    /// A cross: a partner CSIRT notified an economy.
    Cross,
    /// A vertical bar across the lane: a decision.
    Bar,
}

/// The legend's words for the who-knew chart's marks, in the HTML key's order:
/// (symbol, meaning).
pub const WHO_KNEW_KEY: [(&str, &str); 4] = [
    ("○", "compromise began"),
    ("●", "detected by the economy itself"),
    ("▲", "indicators shared with it (line from the sharer)"),
    ("✕", "notified by a partner CSIRT (line from the notifier)"),
];

/// One mark on a lane at a tick.
struct Mark {
    tick: u32,
    lane: usize,
    shape: Shape,
    colour: RGBColor,
}

/// Lanes over ticks, with marks on them and lines between lanes at a tick (who told
/// whom).
struct Swimlanes<'a> {
    caption: &'a str,
    lanes: Vec<String>,
    marks: Vec<Mark>,
    /// (tick, from lane, to lane).
    links: Vec<(u32, usize, usize)>,
    end: u32,
    tick_minutes: u32,
}

impl Swimlanes<'_> {
    fn svg(&self) -> anyhow::Result<String> {
        let height = (90 + 30 * self.lanes.len() as u32).max(160);
        render_svg(self.caption, (WIDTH, height), |root| self.draw(root))
    }

    fn draw(
        &self,
        root: &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
        root.fill(&WHITE)?;
        let n = self.lanes.len().max(1);
        // The first lane on top.
        let row = |lane: usize| (n - 1 - lane.min(n - 1)) as i32;
        let labels: Vec<String> = self
            .lanes
            .iter()
            .map(|l| l.chars().take(30).collect())
            .collect();
        let minutes = self.tick_minutes;
        let mut chart = ChartBuilder::on(root)
            .caption(self.caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(200)
            .build_cartesian_2d(
                -0.5f64..f64::from(self.end.max(1)) + 0.5,
                (0..n as i32).into_segmented(),
            )?;
        chart
            .configure_mesh()
            .x_desc(tick_axis(minutes))
            .x_label_formatter(&|t| tick_label(*t, minutes))
            .y_labels(n)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| n.checked_sub(i + 1))
                    .and_then(|i| labels.get(i))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        let grey = RGBColor(150, 150, 150);
        for &(tick, from, to) in &self.links {
            let x = f64::from(tick);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![
                    (x, SegmentValue::CenterOf(row(from))),
                    (x, SegmentValue::CenterOf(row(to))),
                ],
                grey.stroke_width(1),
            )))?;
        }
        for mark in &self.marks {
            let x = f64::from(mark.tick);
            let at = (x, SegmentValue::CenterOf(row(mark.lane)));
            let colour = mark.colour;
            match mark.shape {
                Shape::Ring => {
                    chart.draw_series(std::iter::once(Circle::new(
                        at,
                        6,
                        colour.stroke_width(2),
                    )))?;
                }
                Shape::Dot => {
                    chart.draw_series(std::iter::once(Circle::new(at, 5, colour.filled())))?;
                }
                Shape::Triangle => {
                    chart.draw_series(std::iter::once(TriangleMarker::new(
                        at,
                        6,
                        colour.filled(),
                    )))?;
                }
                Shape::Cross => {
                    chart.draw_series(std::iter::once(Cross::new(
                        at,
                        5,
                        colour.stroke_width(2),
                    )))?;
                }
                Shape::Bar => {
                    let r = row(mark.lane);
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x, SegmentValue::Exact(r)), (x, SegmentValue::Exact(r + 1))],
                        colour.stroke_width(2),
                    )))?;
                }
            }
        }
        Ok(())
    }
}

/// A campaign's colour on the who-knew chart and its key (grey: a hazard, or a
/// campaign nobody identified).
pub fn campaign_colour(campaign: Option<CampaignIdx>) -> RGBColor {
    campaign.map_or(RGBColor(127, 127, 127), |c| color(c.index()))
}

/// Who knew of each incident, when: one lane per economy; an open circle where a
/// compromise began, a dot where an economy detected it itself, a triangle where
/// indicators were shared with it and a cross where it was notified, each joined by a
/// line to the lane of the economy that told it. Colour: the campaign.
pub fn who_knew(input: &ReportInput) -> anyhow::Result<String> {
    let mut marks = Vec::new();
    let mut links = Vec::new();
    for incident in &input.view.incidents {
        if let Some(start) = incident.started_at {
            marks.push(Mark {
                tick: start,
                lane: incident.economy.index(),
                shape: Shape::Ring,
                colour: campaign_colour(incident.campaign),
            });
        }
    }
    for learning in knowledge::learnings(input) {
        let lane = learning.economy.index();
        let shape = match learning.source {
            Source::Own => Shape::Dot,
            Source::SharedBy { economy, .. } => {
                links.push((learning.at, economy.index(), lane));
                Shape::Triangle
            }
        };
        marks.push(Mark {
            tick: learning.at,
            lane,
            shape,
            colour: campaign_colour(learning.incident.campaign),
        });
    }
    for n in &input.notifications {
        links.push((n.tick, n.from.index(), n.to.index()));
        marks.push(Mark {
            tick: n.tick,
            lane: n.to.index(),
            shape: Shape::Cross,
            colour: campaign_colour(Some(n.campaign)),
        });
    }
    Swimlanes {
        caption: "Who knew what, when",
        lanes: input
            .view
            .economies
            .iter()
            .map(|e| e.name.clone())
            .collect(),
        marks,
        links,
        end: input.view.tick,
        tick_minutes: input.view.tick_minutes,
    }
    .svg()
}

/// The decisions and messages over time: one lane per actor who took any, a bar per
/// decision or message.
pub fn decision_timeline(input: &ReportInput) -> anyhow::Result<String> {
    let actors: Vec<_> = analysis::decisions_per_actor(input).into_keys().collect();
    let marks = input
        .decisions
        .iter()
        .filter_map(|d| {
            let lane = actors.iter().position(|a| *a == d.actor)?;
            Some(Mark {
                tick: d.tick,
                lane,
                shape: Shape::Bar,
                colour: color(lane),
            })
        })
        .collect();
    Swimlanes {
        caption: "Decisions and messages over time",
        lanes: actors.iter().map(|a| input.actor_name(*a)).collect(),
        marks,
        links: Vec::new(),
        end: input.view.tick,
        tick_minutes: input.view.tick_minutes,
    }
    .svg()
}
