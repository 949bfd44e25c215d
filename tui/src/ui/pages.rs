//! Pages over the screens: the briefing a player reads first (the scenario, the seat's
//! role and objectives, what a tick is, where the story arrives), the results at the
//! end of the exercise (the team's scorecard, the region, where the report is) and the
//! discussion at a module's end or the hot wash (its questions, this seat's answers, the
//! feedback form). They scroll; `i` (`d` for the discussion) opens them again.

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::names::role as role_name;
use cyberdrill_engine::scenario::model::ObjectiveScope;
use cyberdrill_engine::view::{ObjectiveView, View};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Clear;

use crate::app::{App, Page, PageKind, Screen};
use crate::forms::{economy_name, my_economy, team_name};
use crate::text::percent;
use crate::ui::draw_scrolled_text;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, page: &Page) {
    let Some(view) = app.view.as_ref() else {
        return;
    };
    let (title, lines) = match page.kind {
        PageKind::Briefing => (
            "Briefing · Enter closes · i opens it again",
            briefing(app, view),
        ),
        PageKind::Results => (
            "The exercise has ended · Enter closes · i opens it again",
            results(app, view),
        ),
        PageKind::Discussion => (
            "Discussion · Enter closes · d opens it again",
            discussion(app),
        ),
        PageKind::Map => return super::map::draw(frame, area, app),
        PageKind::Economy => {
            let Some(economy) = app
                .shown()
                .and_then(|v| v.economies.get(app.screens.overview.economy.at))
            else {
                return;
            };
            let sectors = app.shown().map_or(&[][..], |v| &v.sectors[..]);
            (
                "Where the money went · Enter closes",
                super::economy::detail(economy, sectors),
            )
        }
    };
    frame.render_widget(Clear, area);
    draw_scrolled_text(frame, area, title, lines, &page.scroll);
}

fn heading(text: impl Into<String>) -> Line<'static> {
    Line::styled(
        text.into(),
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )
}

fn dim(text: impl Into<String>) -> Line<'static> {
    Line::styled(text.into(), Style::default().add_modifier(Modifier::DIM))
}

/// The screen's key in the seat's tab bar and its name: `2 News`.
fn tab(app: &App, screen: Screen) -> String {
    match app.screens().iter().position(|s| *s == screen) {
        Some(i) => format!("{} {}", i + 1, screen.title()),
        None => screen.title().to_string(),
    }
}

/// A span of simulated time in words: `1 hour`, `30 hours`, `15 minutes`.
pub fn duration_words(minutes: u64) -> String {
    match minutes {
        m if m % 60 == 0 && m / 60 == 1 => "1 hour".to_string(),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        1 => "1 minute".to_string(),
        m => format!("{m} minutes"),
    }
}

fn briefing(app: &App, view: &View) -> Vec<Line<'static>> {
    let mut lines = vec![heading(view.title.clone()), Line::from("")];
    match (
        app.seat,
        view.my_team.and_then(|t| view.teams.get(t.index())),
    ) {
        (Actor::Team(_), Some(team)) => lines.push(Line::from(format!(
            "You are {}, a {} team of {}.",
            team.name,
            role_name(team.role),
            economy_name(view, team.economy)
        ))),
        _ => lines.push(Line::from(
            "You are the facilitator (the white cell): you see everything, keep the clock, \
             fire and edit injects, and write the report.",
        )),
    }
    let tick = u64::from(view.tick_minutes);
    lines.push(Line::from(format!(
        "Time runs in ticks: one tick is {} of simulated time, and the exercise lasts {} \
         ticks ({}). The clock starts paused; it moves when the facilitator runs it (or \
         you, playing alone: space runs it, n steps one tick).",
        duration_words(tick),
        view.duration_ticks,
        duration_words(tick * u64::from(view.duration_ticks)),
    )));
    lines.push(Line::from(""));
    lines.push(heading("The situation"));
    for paragraph in view.briefing.split("\n\n") {
        let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            lines.push(Line::from(text));
            lines.push(Line::from(""));
        }
    }
    let (mine, region): (Vec<&ObjectiveView>, Vec<&ObjectiveView>) = view
        .objectives
        .iter()
        .partition(|o| o.scope != ObjectiveScope::Region);
    if !mine.is_empty() {
        lines.push(heading(if app.is_facilitator() {
            "The teams' objectives"
        } else {
            "Your objectives"
        }));
        lines.extend(mine.iter().flat_map(|o| objective_lines(view, o)));
        lines.push(Line::from(""));
    }
    if !region.is_empty() {
        lines.push(heading("The region's objectives (everyone's)"));
        lines.extend(region.iter().flat_map(|o| objective_lines(view, o)));
        lines.push(Line::from(""));
    }
    lines.push(heading("Where things are"));
    let mut guide = vec![
        format!(
            "{}: the story arrives here (news, intelligence, calls, the control cell's \
             instructions); the status line says when something new comes in.",
            tab(app, Screen::News)
        ),
        format!(
            "{}: the region at a glance, what changed since the last tick, your objectives.",
            tab(app, Screen::Overview)
        ),
        format!(
            "{}: what your economy has detected or been told of; Enter acts on one.",
            tab(app, Screen::Incidents)
        ),
        format!(
            "{}: everything you can do; each action takes analysts and ticks.",
            tab(app, Screen::Actions)
        ),
        format!(
            "{}: messages with the other teams and the facilitator.",
            tab(app, Screen::Comms)
        ),
    ];
    if app.is_facilitator() {
        guide.push(format!(
            "{}: the clock, who is at the table, every inject (fire, edit), the report.",
            tab(app, Screen::Control)
        ));
    }
    guide.push("i: this briefing again · ?: the keys of each screen · q: quit".to_string());
    lines.extend(guide.into_iter().map(|g| Line::from(format!("• {g}"))));
    lines
}

/// An objective and, below it, what its percentage measures.
fn objective_lines(view: &View, objective: &ObjectiveView) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(format!(
        "• {}",
        objective_words(view, objective)
    ))];
    lines.extend(measure_line(objective, "  "));
    lines
}

/// What an objective's percentage measures, dimmed and indented under it.
fn measure_line(objective: &ObjectiveView, indent: &str) -> Option<Line<'static>> {
    (!objective.measure.is_empty()).then(|| {
        Line::styled(
            format!("{indent}% = {}", objective.measure),
            Style::default().add_modifier(Modifier::DIM),
        )
    })
}

/// An objective's description, whose it is (when not the viewer's) and its weight.
fn objective_words(view: &View, objective: &ObjectiveView) -> String {
    let whose = match objective.scope {
        ObjectiveScope::Team(team) if view.my_team != Some(team) => {
            format!(" ({})", team_name(view, team))
        }
        _ => String::new(),
    };
    let weight = if (objective.weight - 1.0).abs() > f64::EPSILON {
        format!(", weight {}", objective.weight)
    } else {
        String::new()
    };
    format!("{}{whose}{weight}", objective.description)
}

/// The weighted mean score of `objectives`, 0-1; `None` for none.
pub fn weighted_score(objectives: &[&ObjectiveView]) -> Option<f64> {
    let weights: f64 = objectives.iter().map(|o| o.weight).sum();
    (weights > 0.0).then(|| objectives.iter().map(|o| o.weight * o.score).sum::<f64>() / weights)
}

/// An objective's final score and, below it, what the percentage measures.
fn score_lines(view: &View, objective: &ObjectiveView) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        ratatui::text::Span::styled(
            format!("{:>5} ", percent(objective.score)),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        ratatui::text::Span::raw(objective_words(view, objective)),
    ])];
    lines.extend(measure_line(objective, "      "));
    lines
}

fn results(app: &App, view: &View) -> Vec<Line<'static>> {
    let mut lines = vec![
        heading(view.title.clone()),
        Line::from(format!(
            "The exercise ended at tick {} of {} ({}).",
            view.tick, view.duration_ticks, view.time_label
        )),
        Line::from(""),
    ];
    let (mine, region): (Vec<&ObjectiveView>, Vec<&ObjectiveView>) = view
        .objectives
        .iter()
        .partition(|o| o.scope != ObjectiveScope::Region);
    let who = match view.my_team {
        Some(team) => format!("Scorecard of {}", team_name(view, team)),
        None => "The teams' objectives".to_string(),
    };
    lines.push(heading(who));
    if mine.is_empty() {
        lines.push(dim("no objective of its own"));
    } else {
        lines.extend(mine.iter().flat_map(|o| score_lines(view, o)));
        if let Some(score) = weighted_score(&mine) {
            lines.push(Line::styled(
                format!("{:>5} overall (weighted)", percent(score)),
                Style::default().add_modifier(Modifier::BOLD),
            ));
        }
    }
    lines.push(Line::from(""));
    lines.push(heading("The region"));
    lines.extend(region.iter().flat_map(|o| score_lines(view, o)));
    let mine_economy = my_economy(view);
    for economy in &view.economies {
        let start_trust = economy
            .history
            .first()
            .map_or(String::new(), |p| format!(" (from {:.0})", p.trust));
        let marker = if Some(economy.idx) == mine_economy {
            "* "
        } else {
            "  "
        };
        lines.push(Line::from(format!(
            "{marker}{}: loss {} · service {} · trust {:.0}{start_trust}",
            economy.name,
            cyberdrill_engine::money::in_context(economy.loss, economy.output, &economy.name),
            percent(economy.service),
            economy.trust
        )));
        // What moved trust, where the seat sees it (its own economy; the facilitator
        // every one).
        if let Some(moves) = &economy.trust_moves {
            lines.push(dim(format!("    what moved trust: {}", moves.words())));
        }
    }
    let known = view.incidents.len();
    let contained = view
        .incidents
        .iter()
        .filter(|i| i.contained_at.is_some() || i.recovered_at.is_some())
        .count();
    let recovered = view
        .incidents
        .iter()
        .filter(|i| i.recovered_at.is_some())
        .count();
    lines.push(Line::from(format!(
        "incidents {}: {known} known, {contained} contained, {recovered} recovered",
        if app.is_facilitator() {
            "in the region"
        } else {
            "your economy knows of"
        }
    )));
    if let Some(discussion) = app.status.discussion.as_ref() {
        lines.push(Line::from(""));
        lines.push(heading("The hot wash"));
        lines.push(Line::from(format!(
            "{} is open: d shows its questions{}.",
            discussion.title,
            if discussion.feedback {
                " and the feedback form"
            } else {
                ""
            }
        )));
    }
    lines.push(Line::from(""));
    lines.push(heading("The after-action report"));
    match (&app.report, app.is_facilitator()) {
        (Some(written), _) => lines.push(Line::from(format!("The report was {written}."))),
        (None, true) => lines.push(Line::from(format!(
            "Write it with r on {}: an HTML page made from the verified journal.",
            tab(app, Screen::Control)
        ))),
        (None, false) => lines.push(Line::from(
            "The facilitator writes it from the exercise's journal (cyberdrill report) and \
             shares it at the debrief.",
        )),
    }
    lines
}

/// The discussion open now: why the clock stopped, the questions with this seat's
/// answers, the feedback form, and what each seat does.
fn discussion(app: &App) -> Vec<Line<'static>> {
    let Some(discussion) = app.status.discussion.as_ref() else {
        return vec![Line::from(
            "No discussion is open now: the exercise goes on.",
        )];
    };
    let mut lines = vec![heading(discussion.title.clone()), Line::from("")];
    let why = match (app.status.finished, discussion.module) {
        (true, _) => "The exercise has ended: this is the hot wash, the discussion right after \
                      play. Talk it over at your table, then write down what you concluded."
            .to_string(),
        (false, Some(module)) => format!(
            "Module {} has ended: the clock is stopped so that every table can discuss it. \
             Talk it over, then write down your answers.",
            module + 1
        ),
        (false, None) => "The clock is stopped for a discussion.".to_string(),
    };
    lines.push(Line::from(why));
    let next = if app.directs() {
        if app.status.finished {
            "When the room is done, x ends the session for everyone (the journal closes)."
        } else {
            "When the room is done, space resumes the exercise (and closes this discussion)."
        }
    } else if app.is_evaluator() {
        "Evaluators observe: write your notes with w (about a team, an objective or the \
         exercise); they go into the report."
    } else if app.status.finished {
        "The facilitator closes the session when the room is done."
    } else {
        "The facilitator resumes the exercise when the room is done (playing alone: space)."
    };
    lines.push(dim(next));
    lines.push(Line::from(""));
    if !discussion.questions.is_empty() {
        lines.push(heading("Questions"));
        for (i, question) in discussion.questions.iter().enumerate() {
            lines.push(Line::from(format!("{}. {question}", i + 1)));
            let answer = discussion
                .module
                .and_then(|m| app.answers.get(&(m, u32::try_from(i).unwrap_or(u32::MAX))));
            lines.push(match answer {
                Some(text) => Line::from(format!("   your answer: {text}")),
                None if app.is_evaluator() => dim("   (teams answer)"),
                None => dim("   not answered yet: a answers"),
            });
        }
        lines.push(Line::from(""));
    }
    if discussion.feedback && !app.is_evaluator() {
        lines.push(heading("Feedback form"));
        lines.push(Line::from(if app.feedback_sent {
            "Sent, thank you. f sends another (the report keeps both)."
        } else {
            "What went well, what to improve, and one improvement with who owns it and when \
             it is due (the report's improvement plan): f opens the form."
        }));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_words(60), "1 hour");
        assert_eq!(duration_words(30 * 60), "30 hours");
        assert_eq!(duration_words(15), "15 minutes");
    }
}
