//! Reading an exercise for its lessons: response times per economy and the questions a
//! facilitator should put to the teams in the debrief.
//!
//! The questions follow the teaching points of the source documents: watch and warning
//! (missed or slow detection, APEC action area 3), information sharing across borders
//! (APEC 7, ITU "share information"), interdependent infrastructure across borders
//! (cascades: Rinaldi et al. 2001) and public trust in the online environment (APEC).

use std::collections::BTreeMap;

use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::journal::SessionEvent;
use cyberdrill_engine::view::IncidentView;

use super::ReportInput;

/// Detection and response figures of one economy, in simulated hours.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTimes {
    pub economy: String,
    pub incidents: usize,
    pub detected: usize,
    pub contained: usize,
    pub recovered: usize,
    /// Mean hours from compromise to detection, over detected incidents.
    pub mean_detect_hours: Option<f64>,
    /// Mean hours from compromise to containment, over contained incidents.
    pub mean_contain_hours: Option<f64>,
    /// Mean hours from compromise to recovery, over recovered incidents.
    pub mean_recover_hours: Option<f64>,
}

/// Response figures for every economy, in economy order.
pub fn response_times(input: &ReportInput) -> Vec<ResponseTimes> {
    input
        .view
        .economies
        .iter()
        .map(|economy| {
            let incidents: Vec<&IncidentView> = input
                .view
                .incidents
                .iter()
                .filter(|i| i.economy == economy.idx)
                .collect();
            let mean_since_start = |at: fn(&IncidentView) -> Option<u32>| {
                let spans: Vec<f64> = incidents
                    .iter()
                    .filter_map(|i| Some(f64::from(at(i)?.saturating_sub(i.started_at?))))
                    .collect();
                (!spans.is_empty())
                    .then(|| input.hours(spans.iter().sum::<f64>() / spans.len() as f64))
            };
            ResponseTimes {
                economy: economy.name.clone(),
                incidents: incidents.len(),
                detected: incidents.iter().filter(|i| i.detected_at.is_some()).count(),
                contained: incidents
                    .iter()
                    .filter(|i| i.contained_at.is_some())
                    .count(),
                recovered: incidents
                    .iter()
                    .filter(|i| i.recovered_at.is_some())
                    .count(),
                mean_detect_hours: mean_since_start(|i| i.detected_at),
                mean_contain_hours: mean_since_start(|i| i.contained_at),
                mean_recover_hours: mean_since_start(|i| i.recovered_at),
            }
        })
        .collect()
}

/// What the debrief question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Theme {
    MissedDetection,
    Sharing,
    Cascade,
    Trust,
    Objective,
    Session,
}

impl Theme {
    pub fn title(self) -> &'static str {
        match self {
            Theme::MissedDetection => "Watch and warning",
            Theme::Sharing => "Information sharing",
            Theme::Cascade => "Cascades across borders",
            Theme::Trust => "Public trust",
            Theme::Objective => "Objectives",
            Theme::Session => "Running the exercise",
        }
    }
}

/// One question for the debrief, with the facts that prompt it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub theme: Theme,
    pub text: String,
}

/// A campaign is "shared late" when its indicators first left the detecting economy
/// more than this many simulated hours after the first detection.
const LATE_SHARING_HOURS: f64 = 6.0;
/// An asset counts as hit by a cascade when its service fell below this level.
const CASCADE_SERVICE: f64 = 0.9;
/// A fall of public trust of at least this many points (0-100) is a collapse.
const TRUST_COLLAPSE_POINTS: f64 = 15.0;
/// A team away from its seat for at least this many simulated hours missed enough of
/// the exercise to discuss (a CSIRT's shift: APEC 2005 action area 3, watch and warning).
const LONG_ABSENCE_HOURS: f64 = 6.0;
/// At most this many questions per theme, so the debrief stays a conversation.
const QUESTIONS_PER_THEME: usize = 4;

/// The debrief questions drawn from what happened, grouped by theme.
pub fn debrief_questions(input: &ReportInput) -> Vec<Question> {
    let mut questions = Vec::new();
    questions.extend(missed_detections(input));
    questions.extend(sharing(input));
    questions.extend(cross_border_cascades(input));
    questions.extend(trust_collapses(input));
    questions.extend(unmet_objectives(input));
    questions.extend(session_questions(input));
    questions
}

fn limited(mut found: Vec<Question>, theme: Theme, what: &str) -> Vec<Question> {
    let extra = found.len().saturating_sub(QUESTIONS_PER_THEME);
    found.truncate(QUESTIONS_PER_THEME);
    if extra > 0 {
        found.push(Question {
            theme,
            text: format!("… and {extra} more {what} like these."),
        });
    }
    found
}

fn missed_detections(input: &ReportInput) -> Vec<Question> {
    let mut by_economy: BTreeMap<u32, Vec<&IncidentView>> = BTreeMap::new();
    for incident in input
        .view
        .incidents
        .iter()
        .filter(|i| i.detected_at.is_none())
    {
        by_economy
            .entry(incident.economy.0)
            .or_default()
            .push(incident);
    }
    let found = by_economy
        .into_iter()
        .map(|(economy, missed)| {
            let assets: Vec<String> = missed
                .iter()
                .take(3)
                .map(|i| input.asset_name(i.asset.index()))
                .collect();
            Question {
                theme: Theme::MissedDetection,
                text: format!(
                    "{} never detected {} compromise(s) (for example on {}). Which monitoring, \
                     indicators from neighbours or reports from operators would have revealed them?",
                    input.economy_name(economy as usize),
                    missed.len(),
                    assets.join(", ")
                ),
            }
        })
        .collect();
    limited(
        found,
        Theme::MissedDetection,
        "economies with missed detections",
    )
}

/// First tick at which each incident's indicators were shared, per economy reached.
fn shares_by_campaign(input: &ReportInput) -> BTreeMap<u32, Vec<(u32, Vec<u32>)>> {
    let mut shares: BTreeMap<u32, Vec<(u32, Vec<u32>)>> = BTreeMap::new();
    for decision in &input.decisions {
        if let Command::ShareIndicators { incident, with, .. } = &decision.command {
            let campaign = input
                .view
                .incidents
                .iter()
                .find(|i| i.id == *incident)
                .and_then(|i| i.campaign);
            if let Some(campaign) = campaign {
                shares
                    .entry(campaign.0)
                    .or_default()
                    .push((decision.tick, with.iter().map(|e| e.0).collect()));
            }
        }
    }
    shares
}

fn sharing(input: &ReportInput) -> Vec<Question> {
    let shares = shares_by_campaign(input);
    let mut found = Vec::new();
    for campaign in &input.view.campaigns {
        let incidents: Vec<&IncidentView> = input
            .view
            .incidents
            .iter()
            .filter(|i| i.campaign == Some(campaign.idx))
            .collect();
        let Some(first) = incidents
            .iter()
            .filter_map(|i| Some((i.detected_at?, i.economy)))
            .min()
        else {
            continue;
        };
        let (detected_at, detector) = first;
        let mut economies: Vec<u32> = incidents.iter().map(|i| i.economy.0).collect();
        economies.sort_unstable();
        economies.dedup();
        let campaign_shares = shares.get(&campaign.idx.0).map_or(&[][..], Vec::as_slice);
        // Economies hit after the first detection without having been warned before.
        let unwarned: Vec<String> = incidents
            .iter()
            .filter(|i| i.economy != detector)
            .filter_map(|i| Some((i.started_at?, i)))
            .filter(|(start, _)| *start > detected_at)
            .filter(|(start, i)| {
                !campaign_shares
                    .iter()
                    .any(|(tick, with)| tick <= start && with.contains(&i.economy.0))
            })
            .map(|(_, i)| input.economy_name(i.economy.index()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let first_share = campaign_shares.iter().map(|(tick, _)| *tick).min();
        let detector_name = input.economy_name(detector.index());
        let text = match first_share {
            None if economies.len() > 1 => Some(format!(
                "\"{}\" hit {} economies and {detector_name} detected it at tick {detected_at}, \
                 yet no indicators were shared. What stopped the teams from sharing, and what \
                 agreement or habit would have helped?",
                campaign.name,
                economies.len()
            )),
            Some(tick)
                if input.hours(f64::from(tick.saturating_sub(detected_at)))
                    > LATE_SHARING_HOURS =>
            {
                Some(format!(
                    "Indicators of \"{}\" were first shared {:.0} hours after {detector_name} \
                     detected it. What delayed the decision to share?",
                    campaign.name,
                    input.hours(f64::from(tick - detected_at))
                ))
            }
            _ => None,
        };
        found.extend(text.map(|text| Question {
            theme: Theme::Sharing,
            text,
        }));
        if !unwarned.is_empty() {
            found.push(Question {
                theme: Theme::Sharing,
                text: format!(
                    "{} {} hit by \"{}\" after {detector_name} had detected it, without \
                     having received its indicators. Who knew what, when, and who could have \
                     warned whom?",
                    unwarned.join(", "),
                    if unwarned.len() == 1 { "was" } else { "were" },
                    campaign.name
                ),
            });
        }
    }
    limited(found, Theme::Sharing, "sharing questions")
}

fn cross_border_cascades(input: &ReportInput) -> Vec<Question> {
    let compromised: std::collections::BTreeSet<u32> =
        input.view.incidents.iter().map(|i| i.asset.0).collect();
    let mut found = Vec::new();
    for asset in &input.view.assets {
        let lowest = input
            .min_asset_service
            .get(asset.idx.index())
            .copied()
            .unwrap_or(1.0);
        if lowest >= CASCADE_SERVICE || compromised.contains(&asset.idx.0) {
            continue;
        }
        let foreign_causes: Vec<String> = asset
            .depends_on
            .iter()
            .filter(|d| d.cross_border && compromised.contains(&d.on.0))
            .map(|d| {
                let on = input.asset_name(d.on.index());
                let economy = input
                    .view
                    .assets
                    .iter()
                    .find(|a| a.idx == d.on)
                    .map(|a| input.economy_name(a.economy.index()))
                    .unwrap_or_default();
                format!("{on} ({economy})")
            })
            .collect();
        if foreign_causes.is_empty() {
            continue;
        }
        found.push(Question {
            theme: Theme::Cascade,
            text: format!(
                "{} in {} fell to {} service without being attacked itself, through its \
                 dependency on {}. When did its operator learn why, and from whom?",
                asset.name,
                input.economy_name(asset.economy.index()),
                crate::text::percent(lowest),
                foreign_causes.join(", ")
            ),
        });
    }
    limited(found, Theme::Cascade, "assets hit across borders")
}

fn trust_collapses(input: &ReportInput) -> Vec<Question> {
    let found = input
        .view
        .economies
        .iter()
        .filter_map(|economy| {
            let start = economy.history.first()?.trust;
            let (low_tick, low) = economy.history.iter().map(|p| (p.tick, p.trust)).fold(
                (0, f64::INFINITY),
                |acc, p| if p.1 < acc.1 { p } else { acc },
            );
            // What moved it over the exercise, by cause (`trust.rs`), where known.
            let moved = economy
                .trust_moves
                .map_or_else(String::new, |m| format!(" What moved it: {}.", m.words()));
            (start - low >= TRUST_COLLAPSE_POINTS).then(|| Question {
                theme: Theme::Trust,
                text: format!(
                    "Public trust in {} fell from {start:.0} to {low:.0} (lowest at tick \
                     {low_tick}).{moved} What did the public hear, from whom, and when?",
                    economy.name
                ),
            })
        })
        .collect();
    limited(found, Theme::Trust, "economies")
}

fn unmet_objectives(input: &ReportInput) -> Vec<Question> {
    let found = input
        .view
        .objectives
        .iter()
        .filter(|o| o.score < 1.0)
        .map(|o| Question {
            theme: Theme::Objective,
            text: format!(
                "Objective \"{}\" reached {}. What stood in the way?",
                o.description,
                crate::text::percent(o.score)
            ),
        })
        .collect();
    limited(found, Theme::Objective, "objectives")
}

/// A stretch of the session, from the journal: when it began, when it ended (`None`:
/// it lasted to the end of the exercise) and its length in ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    pub from: u32,
    pub until: Option<u32>,
    pub ticks: u32,
}

/// How long what began with the session event at `index` lasted: a pause until the
/// next resume, an actor's absence after leaving until it joins again (`None` for any
/// other event).
pub fn stretch(input: &ReportInput, index: usize) -> Option<Stretch> {
    let moment = input.session.get(index)?;
    let ends = |event: &SessionEvent| match (&moment.event, event) {
        (SessionEvent::Paused, SessionEvent::Resumed { .. }) => true,
        (SessionEvent::Left { actor }, SessionEvent::Joined { actor: back, .. }) => actor == back,
        _ => false,
    };
    if !matches!(
        moment.event,
        SessionEvent::Paused | SessionEvent::Left { .. }
    ) {
        return None;
    }
    let until = input.session[index + 1..]
        .iter()
        .find(|later| ends(&later.event))
        .map(|later| later.tick);
    let end = until.unwrap_or(input.view.tick);
    Some(Stretch {
        from: moment.tick,
        until,
        ticks: end.saturating_sub(moment.tick),
    })
}

/// Restarts of the server, and teams away from their seat for a long stretch: what the
/// exercise's organisation cost the teams' watch and warning.
fn session_questions(input: &ReportInput) -> Vec<Question> {
    let mut found = Vec::new();
    for (index, moment) in input.session.iter().enumerate() {
        match &moment.event {
            SessionEvent::ResumedFromJournal => found.push(Question {
                theme: Theme::Session,
                text: format!(
                    "The server was restarted at tick {} and the exercise continued from its \
                     journal. What did the teams lose track of while it was down, and how did \
                     they pick up the thread again?",
                    moment.tick
                ),
            }),
            SessionEvent::Left {
                actor: actor @ Actor::Team(_),
            } => {
                let Some(away) = stretch(input, index) else {
                    continue;
                };
                let hours = input.hours(f64::from(away.ticks));
                if hours < LONG_ABSENCE_HOURS {
                    continue;
                }
                let until = away
                    .until
                    .map_or_else(|| "the end".to_string(), |t| format!("tick {t}"));
                found.push(Question {
                    theme: Theme::Session,
                    text: format!(
                        "{} was away from tick {} to {until} ({hours:.0} simulated hours). Who \
                         watched its economy meanwhile, and what was waiting when it came back?",
                        input.actor_name(*actor),
                        away.from
                    ),
                });
            }
            _ => {}
        }
    }
    limited(found, Theme::Session, "interruptions and absences")
}

/// Number of journaled decisions per actor, in actor order (teams, then facilitator).
pub fn decisions_per_actor(input: &ReportInput) -> BTreeMap<Actor, usize> {
    let mut counts = BTreeMap::new();
    for d in &input.decisions {
        *counts.entry(d.actor).or_insert(0) += 1;
    }
    counts
}
