//! The region as a map: economies as nodes, their cross-border dependencies as arrows
//! from the economy that depends to the one it depends on, each economy coloured by the
//! lowest service it fell to and by its loss. Where an outage crossed a border is where
//! a debrief asks who warned whom (APEC 2005 strategy, action area 7 on cooperation
//! among economies; ITU 2009 on regional interdependence of critical infrastructure).
//!
//! The layout is a circle in scenario order, the first economy on top: the same scenario
//! always gives the same picture, and the report's and the terminal's maps agree.

use std::collections::BTreeMap;
use std::fmt::Write;

use cyberdrill_engine::view::{EconomyView, View};

use super::html::escape;

/// Cross-border dependencies from one economy on another, summed over their assets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Index (in `View::economies`) of the economy whose assets depend.
    pub from: usize,
    /// Index of the economy they depend on.
    pub to: usize,
    /// How many asset dependencies cross from `from` to `to`.
    pub count: usize,
    /// Their weights summed (the share of each asset's service that rests on the other).
    pub weight: f64,
}

/// Every cross-border link between economies, by (from, to).
pub fn links(view: &View) -> Vec<Link> {
    let economy_of = |asset: cyberdrill_engine::scenario::model::AssetIdx| {
        view.assets
            .iter()
            .find(|a| a.idx == asset)
            .and_then(|a| view.economies.iter().position(|e| e.idx == a.economy))
    };
    let mut sums: BTreeMap<(usize, usize), (usize, f64)> = BTreeMap::new();
    for asset in &view.assets {
        let Some(from) = view.economies.iter().position(|e| e.idx == asset.economy) else {
            continue;
        };
        for dependency in asset.depends_on.iter().filter(|d| d.cross_border) {
            let Some(to) = economy_of(dependency.on) else {
                continue;
            };
            if to != from {
                let sum = sums.entry((from, to)).or_insert((0, 0.0));
                sum.0 += 1;
                sum.1 += dependency.weight;
            }
        }
    }
    sums.into_iter()
        .map(|((from, to), (count, weight))| Link {
            from,
            to,
            count,
            weight,
        })
        .collect()
}

/// The lowest service an economy fell to over the run (its mean over its assets).
pub fn worst_service(economy: &EconomyView) -> f64 {
    economy
        .history
        .iter()
        .map(|p| p.service)
        .fold(economy.service, f64::min)
}

/// Where economy `i` of `n` sits on a unit circle around (0, 0): the first on top, the
/// rest clockwise; a lone economy in the middle. (x right, y down.)
pub fn position(i: usize, n: usize) -> (f64, f64) {
    if n <= 1 {
        return (0.0, 0.0);
    }
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    (angle.cos(), angle.sin())
}

/// A service level's colour: red at none, amber at half, green at full.
pub fn service_rgb(service: f64) -> (u8, u8, u8) {
    let s = service.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64, t: f64| (a + (b - a) * t).round() as u8;
    if s < 0.5 {
        let t = s / 0.5;
        (
            mix(214.0, 240.0, t),
            mix(39.0, 180.0, t),
            mix(40.0, 30.0, t),
        )
    } else {
        let t = (s - 0.5) / 0.5;
        (
            mix(240.0, 44.0, t),
            mix(180.0, 160.0, t),
            mix(30.0, 44.0, t),
        )
    }
}

/// A loss's colour, as a share of the largest loss: pale at none, dark red at the
/// largest.
pub fn loss_rgb(share: f64) -> (u8, u8, u8) {
    let t = share.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    (mix(250.0, 140.0), mix(240.0, 20.0), mix(230.0, 20.0))
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Dark text on light fills, white on dark ones.
fn text_on((r, g, b): (u8, u8, u8)) -> &'static str {
    let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luma < 140.0 { "#fff" } else { "#222" }
}

/// What a panel fills each economy's node with: its colour and the figure written in it.
type Fill<'a> = &'a dyn Fn(&EconomyView) -> ((u8, u8, u8), String);

const PANEL: f64 = 430.0;
const HEIGHT: f64 = 460.0;
const RADIUS: f64 = 140.0;
/// The circle's centre from the top: room for the panel's title and the top node's label.
const MIDDLE: f64 = 110.0 + RADIUS;
const NODE: f64 = 26.0;

/// One panel: the graph with every node filled by `fill`, under `title`.
fn panel(svg: &mut String, view: &View, links: &[Link], left: f64, title: &str, fill: Fill<'_>) {
    let n = view.economies.len();
    let centre = |i: usize| {
        let (x, y) = position(i, n);
        (left + PANEL / 2.0 + RADIUS * x, MIDDLE + RADIUS * y)
    };
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{}</text>",
        left + PANEL / 2.0,
        escape(title)
    );
    let heaviest = links.iter().map(|l| l.weight).fold(0.0f64, f64::max);
    for link in links {
        let ((x1, y1), (x2, y2)) = (centre(link.from), centre(link.to));
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / length, dy / length);
        // Bend each arrow to its right, so that A→B and B→A do not overlap.
        let (mx, my) = ((x1 + x2) / 2.0 - uy * 24.0, (y1 + y2) / 2.0 + ux * 24.0);
        let (sx, sy) = (x1 + ux * NODE, y1 + uy * NODE);
        let (ex, ey) = (x2 - ux * (NODE + 4.0), y2 - uy * (NODE + 4.0));
        let width = 1.0 + 4.0 * link.weight / heaviest.max(f64::EPSILON);
        let (from, to) = (
            &view.economies[link.from].name,
            &view.economies[link.to].name,
        );
        let _ = writeln!(
            svg,
            "<path d=\"M{sx:.1},{sy:.1} Q{mx:.1},{my:.1} {ex:.1},{ey:.1}\" fill=\"none\" \
             stroke=\"#777\" stroke-width=\"{width:.1}\" marker-end=\"url(#arrow)\">\
             <title>{} depends on {}: {} asset dependenc{}, weight {:.2}</title></path>",
            escape(from),
            escape(to),
            link.count,
            if link.count == 1 { "y" } else { "ies" },
            link.weight
        );
        let _ = writeln!(
            svg,
            "<text x=\"{mx:.1}\" y=\"{my:.1}\" font-size=\"11\" fill=\"#555\" \
             text-anchor=\"middle\">{}</text>",
            link.count
        );
    }
    for (i, economy) in view.economies.iter().enumerate() {
        let (x, y) = centre(i);
        let (rgb, value) = fill(economy);
        let _ = writeln!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{NODE}\" fill=\"{}\" stroke=\"#333\">\
             <title>{}: {}</title></circle>",
            hex(rgb),
            escape(&economy.name),
            escape(&value)
        );
        let _ = writeln!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" \
             fill=\"{}\">{}</text>",
            y + 4.0,
            text_on(rgb),
            escape(&value)
        );
        // The name in short lines under the node (over it for the nodes on top), so
        // that neighbours' names do not run into each other.
        let lines = wrap(&economy.name, LABEL_CHARS, 3);
        let above = position(i, n).1 < -0.35;
        let first = if above {
            y - NODE - 6.0 - LINE * (lines.len() as f64 - 1.0)
        } else {
            y + NODE + 13.0
        };
        let _ = write!(
            svg,
            "<text text-anchor=\"middle\" font-size=\"11\"><title>{}</title>",
            escape(&economy.name)
        );
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                "<tspan x=\"{x:.1}\" y=\"{:.1}\">{}</tspan>",
                first + LINE * k as f64,
                escape(line)
            );
        }
        svg.push_str("</text>\n");
    }
}

/// Characters per line of a node's name, and the lines' spacing.
const LABEL_CHARS: usize = 14;
const LINE: f64 = 12.0;

/// `text` in lines of at most `width` characters, broken between words (a longer word
/// on a line of its own), at most `max` lines (the last cut with `…`).
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > max {
        let rest = lines.split_off(max - 1).join(" ");
        let cut: String = rest.chars().take(width.saturating_sub(1)).collect();
        lines.push(format!("{cut}…"));
    }
    lines
}

/// The map as one SVG: the same graph twice, coloured by the lowest service each
/// economy fell to and by its loss.
pub fn svg(view: &View) -> String {
    let links = links(view);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {w} {HEIGHT}\" font-family=\"sans-serif\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" \
         markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\">\
         <path d=\"M0,0 L10,5 L0,10 z\" fill=\"#777\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        w = PANEL * 2.0
    );
    panel(
        &mut svg,
        view,
        &links,
        0.0,
        "Lowest service reached",
        &|e| {
            let worst = worst_service(e);
            (service_rgb(worst), crate::text::percent(worst))
        },
    );
    let largest = view.economies.iter().map(|e| e.loss).fold(0.0f64, f64::max);
    panel(
        &mut svg,
        view,
        &links,
        PANEL,
        "Economic loss (share of output)",
        &|e| {
            (
                loss_rgb(e.loss / largest.max(f64::EPSILON)),
                cyberdrill_engine::money::brief(e.loss, e.output),
            )
        },
    );
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::policy::Policy;

    use super::*;

    #[test]
    fn links_sum_every_cross_border_dependency_between_two_economies() {
        let input = crate::report::tests::regional_input(Policy::Idle, 4);
        let view = &input.view;
        let links = links(view);
        let crossing: usize = view
            .assets
            .iter()
            .map(|a| a.depends_on.iter().filter(|d| d.cross_border).count())
            .sum();
        assert!(crossing > 0, "the regional scenario crosses borders");
        assert_eq!(links.iter().map(|l| l.count).sum::<usize>(), crossing);
        assert!(links.iter().all(|l| l.from != l.to));
        assert!(
            links
                .windows(2)
                .all(|w| (w[0].from, w[0].to) < (w[1].from, w[1].to))
        );
    }

    #[test]
    fn the_map_is_deterministic_and_names_every_economy_twice() {
        let input = crate::report::tests::regional_input(Policy::Idle, 24);
        let first = svg(&input.view);
        assert_eq!(first, svg(&input.view));
        for economy in &input.view.economies {
            let name = format!("<title>{}</title>", escape(&economy.name));
            assert_eq!(first.matches(&name).count(), 2, "{}", economy.name);
            assert!(first.contains(&escape(&cyberdrill_engine::money::brief(
                economy.loss,
                economy.output
            ))));
            let worst = crate::text::percent(worst_service(economy));
            assert!(first.contains(&format!("{}: {worst}", escape(&economy.name))));
        }
        assert_eq!(
            first.matches("marker-end").count(),
            2 * links(&input.view).len()
        );
    }

    #[test]
    fn long_names_wrap_between_words() {
        assert_eq!(
            wrap("United Provinces of Marisca", 14, 3),
            ["United", "Provinces of", "Marisca"]
        );
        assert_eq!(wrap("Velland", 14, 3), ["Velland"]);
        assert_eq!(wrap("ab cd ef gh ij", 5, 2), ["ab cd", "ef g…"]);
        assert!(wrap("", 14, 3).is_empty());
    }

    #[test]
    fn colours_run_from_red_to_green_and_pale_to_dark() {
        assert_eq!(service_rgb(0.0), (214, 39, 40));
        assert_eq!(service_rgb(1.0), (44, 160, 44));
        assert_eq!(loss_rgb(0.0), (250, 240, 230));
        assert_eq!(loss_rgb(1.0), (140, 20, 20));
        assert!(position(0, 4).0.abs() < 1e-9);
        assert!((position(0, 4).1 + 1.0).abs() < 1e-9, "the first on top");
        assert_eq!(position(0, 1), (0.0, 0.0));
    }
}
