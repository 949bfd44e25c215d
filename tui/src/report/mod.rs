//! The after-action report: what happened in one exercise, told for the debrief.
//!
//! A forum exercise teaches in its debrief: the hot wash and the after-action report with
//! an improvement plan of exercise practice (US HSEEP 2020), after the ITU 2009 forum's
//! training on "building national watch, warning and incident response capabilities".
//! The report is built from a journal replay: the facilitator's final [`View`], a
//! per-tick series collected while replaying ([`Collector`]), and the journaled
//! decisions. It renders as one self-contained HTML page with SVG charts ([`html`]) or as
//! Markdown for minutes ([`markdown`]).

pub mod analysis;
pub mod charts;
pub mod html;
pub mod knowledge;
pub mod lessons;
pub mod loss_causes;
pub mod map;
pub mod markdown;
pub mod metrics;
pub mod swimlanes;
pub mod tables;
pub mod what_if;

use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::journal::{Header, Journal, Notice, Record, SessionEvent};
use cyberdrill_engine::names::Names;
use cyberdrill_engine::replay::{ReplayError, replay_observed};
use cyberdrill_engine::scenario::model::{CampaignIdx, ObjectiveScope};
use cyberdrill_engine::view::{IncidentKnowledge, View};

/// One tick's regional picture, sampled during replay.
#[derive(Debug, Clone, PartialEq)]
pub struct TickSample {
    pub tick: u32,
    /// Mean service of all assets of each sector, index-aligned with `View::sectors`
    /// (`None` where the scenario has no asset of that sector).
    pub sector_service: Vec<Option<f64>>,
}

/// Gathers what the final view does not keep: service by sector at every tick and the
/// lowest service each asset reached.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    samples: Vec<TickSample>,
    min_asset_service: Vec<f64>,
}

impl Collector {
    /// Records the facilitator's view of one tick.
    pub fn observe(&mut self, view: &View) {
        let sectors = view.sectors.len();
        let mut sum = vec![0.0; sectors];
        let mut count = vec![0usize; sectors];
        for asset in &view.assets {
            let s = asset.sector.index();
            if s < sectors {
                sum[s] += asset.service;
                count[s] += 1;
            }
        }
        let sector_service = sum
            .iter()
            .zip(&count)
            .map(|(s, &n)| (n > 0).then(|| s / n as f64))
            .collect();
        self.samples.push(TickSample {
            tick: view.tick,
            sector_service,
        });
        let assets = &view.assets;
        if self.min_asset_service.len() < assets.len() {
            self.min_asset_service.resize(assets.len(), 1.0);
        }
        for asset in assets {
            let slot = &mut self.min_asset_service[asset.idx.index()];
            *slot = slot.min(asset.service);
        }
    }

    /// The samples and per-asset minima gathered so far.
    pub fn finish(self) -> (Vec<TickSample>, Vec<f64>) {
        (self.samples, self.min_asset_service)
    }
}

/// A journaled command, as a decision on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub tick: u32,
    pub actor: Actor,
    pub command: Command,
}

/// A journaled session event (a seat taken or left, the clock, a restart), for the
/// report's "Session" section. Join codes (`seat_codes`) never become one: they are
/// dropped when the report input is assembled, so no format can print them.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionMoment {
    pub tick: u32,
    pub event: SessionEvent,
}

/// Everything a report is drawn from.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub header: Header,
    /// The facilitator's view at the end of the replay.
    pub view: View,
    pub samples: Vec<TickSample>,
    /// Lowest service each asset reached, by asset index.
    pub min_asset_service: Vec<f64>,
    pub decisions: Vec<Decision>,
    /// The session's events in journal order, join codes left out.
    pub session: Vec<SessionMoment>,
    /// The run's metrics, as `run --json` prints them.
    pub metrics: serde_json::Value,
    pub state_hash: String,
    /// What the reader must know about the journal's integrity ([`Journal::notices`]):
    /// a cut-off last record, or a format without a hash chain.
    pub notices: Vec<String>,
    /// Who knew of each incident, when and how, every incident in id order
    /// ([`cyberdrill_engine::Simulation::knowledge`]).
    pub knowledge: Vec<IncidentKnowledge>,
    /// Partner CSIRTs' notifications of compromises, oldest first.
    pub notifications: Vec<knowledge::Notification>,
    /// The "What if" section, when it was asked for (`cyberdrill report --what-if`): it
    /// plays the exercise again many times, so it is not part of every report.
    pub what_if: Option<what_if::WhatIf>,
}

/// Replays `journal`, checking every recorded state hash, and gathers the report's
/// input from the replay: the one way a report is made, so that the facilitator's `r`
/// during an exercise and `cyberdrill report` afterwards tell exactly the same story.
pub fn from_journal(journal: &Journal) -> Result<ReportInput, ReportError> {
    let mut collector = Collector::default();
    let outcome = replay_observed(journal, true, |sim| {
        collector.observe(&sim.view(Actor::Facilitator));
    })?;
    let sim = &outcome.simulation;
    let metrics = serde_json::to_value(sim.metrics())?;
    let mut input = ReportInput::new(
        journal.header.clone(),
        &journal.records,
        sim.view(Actor::Facilitator),
        collector,
        metrics,
        sim.state_hash().to_hex(),
    );
    // Only what the journal's content says: a report made during the exercise (its
    // journal still open) and one made afterwards (closed) must read the same. Whether
    // the file was closed, and its digest, are `replay`'s to print.
    input.notices = journal
        .notices()
        .into_iter()
        .filter(|notice| !matches!(notice, Notice::NotClosed { .. }))
        .map(|notice| notice.to_string())
        .collect();
    input.knowledge = sim.knowledge();
    input.notifications = knowledge::notifications(sim.outcomes());
    Ok(input)
}

/// Why a report could not be made from a journal.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The journal does not replay to the states it recorded: nothing it says can be trusted.
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error("cannot encode the metrics for the report: {0}")]
    Metrics(#[from] serde_json::Error),
}

impl ReportInput {
    /// Assembles a report input from a replay's results (with no notice and no record
    /// of who knew what: [`from_journal`] adds them from the journal and the replay).
    pub fn new(
        header: Header,
        records: &[Record],
        view: View,
        collector: Collector,
        metrics: serde_json::Value,
        state_hash: String,
    ) -> Self {
        let decisions = records
            .iter()
            .filter_map(|r| match r {
                Record::Command {
                    tick,
                    actor,
                    command,
                    ..
                } => Some(Decision {
                    tick: *tick,
                    actor: *actor,
                    command: command.clone(),
                }),
                _ => None,
            })
            .collect();
        let (samples, min_asset_service) = collector.finish();
        Self {
            header,
            view,
            samples,
            min_asset_service,
            decisions,
            session: session_moments(records),
            metrics,
            state_hash,
            notices: Vec::new(),
            knowledge: Vec::new(),
            notifications: Vec::new(),
            what_if: None,
        }
    }

    /// Hours of simulated time in `ticks`.
    pub fn hours(&self, ticks: f64) -> f64 {
        ticks * f64::from(self.view.tick_minutes) / 60.0
    }

    /// Display name of an actor.
    /// Whose objective it is, in words: a team's name or "region".
    pub fn scope_name(&self, scope: ObjectiveScope) -> String {
        match scope {
            ObjectiveScope::Team(t) => self.actor_name(Actor::Team(t)),
            ObjectiveScope::Region => "region".to_string(),
        }
    }

    pub fn actor_name(&self, actor: Actor) -> String {
        match actor {
            Actor::Facilitator => "Facilitator".to_string(),
            Actor::Team(t) => self
                .view
                .teams
                .get(t.index())
                .map_or_else(|| format!("team #{}", t.0), |team| team.name.clone()),
        }
    }

    /// Display name of an economy by index.
    pub fn economy_name(&self, idx: usize) -> String {
        self.view
            .economies
            .get(idx)
            .map_or_else(|| format!("economy #{idx}"), |e| e.name.clone())
    }

    /// Display name of a campaign.
    pub fn campaign_name(&self, campaign: CampaignIdx) -> String {
        self.view
            .campaigns
            .iter()
            .find(|c| c.idx == campaign)
            .map_or_else(|| format!("campaign #{}", campaign.0), |c| c.name.clone())
    }

    fn asset_name(&self, idx: usize) -> String {
        self.view
            .assets
            .iter()
            .find(|a| a.idx.index() == idx)
            .map_or_else(|| format!("asset #{idx}"), |a| a.name.clone())
    }

    /// What a command acted on, in words (the engine's one wording).
    pub fn describe(&self, command: &Command) -> String {
        Names(&self.view).target(command)
    }
}

/// The session events of `records` worth telling in a debrief: all but the join codes,
/// which are secret.
fn session_moments(records: &[Record]) -> Vec<SessionMoment> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Session {
                event: SessionEvent::SeatCodes { .. },
                ..
            } => None,
            Record::Session { tick, event } => Some(SessionMoment {
                tick: *tick,
                event: event.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// A sum of US dollars in words a minister reads (`$1.2M`, `$350k`): the engine's one
/// format, shared with the terminal's screens.
pub use cyberdrill_engine::money::short as money;

#[cfg(test)]
mod tests {
    use cyberdrill_engine::Simulation;
    use cyberdrill_engine::journal::{Header, JournalWriter, read_journal};
    use cyberdrill_engine::policy::Policy;
    use cyberdrill_engine::replay::Recorder;
    use cyberdrill_engine::scenario::{self, bundled};

    use super::*;
    use crate::outcome::play_bots;

    /// Plays the regional scenario with `policy` bots, journaled, and builds the report
    /// input from a replay of the journal, as `cyberdrill report` does.
    pub(super) fn regional_input(policy: Policy, ticks: u32) -> ReportInput {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let text = bundled::APEC_REGIONAL;
        let checked = scenario::parse(text).expect("bundled scenario");
        let header = Header::new("apec-regional.toml", text, 4, "test").with_bots("cooperative");
        let writer = JournalWriter::create(&path, &header).expect("create");
        let mut recorder = Recorder::new(Simulation::new(checked.scenario, 4), writer);
        play_bots(&mut recorder, policy, ticks).expect("play");
        let journal = read_journal(&path).expect("read");
        from_journal(&journal).expect("the journal replays and verifies")
    }

    #[test]
    fn html_report_is_self_contained_with_charts_and_every_economy() {
        let input = regional_input(Policy::Cooperative, 30);
        assert_eq!(input.samples.len(), 31, "tick 0 and one sample per step");
        let page = html::render(&input).expect("render");
        let timelines = charts::incident_timelines(&input).expect("timelines").len();
        assert!(timelines >= 1);
        assert_eq!(
            page.matches("<svg").count(),
            7 + timelines,
            "map, service, trust, loss, loss by cause, incidents (a chart per {} rows), who \
             knew, decisions",
            charts::MAX_INCIDENT_ROWS
        );
        assert!(!page.contains("<script") && !page.contains("src=\"http"));
        for economy in &input.view.economies {
            assert!(
                page.contains(&html::escape(&economy.name)),
                "{}",
                economy.name
            );
        }
        for sector in input
            .view
            .sectors
            .iter()
            .filter(|s| input.view.assets.iter().any(|a| a.sector == s.idx))
        {
            assert!(
                page.contains(&html::escape(&sector.name)),
                "legend lacks {}",
                sector.name
            );
        }
        assert!(page.contains("Questions for the debrief"));
        assert!(
            !input.decisions.is_empty(),
            "cooperative bots decided nothing"
        );
        assert!(page.contains(input.decisions[0].command.label()));
    }

    #[test]
    fn both_formats_show_each_decision_point_with_the_option_taken_and_by_whom() {
        let cooperative = regional_input(Policy::Cooperative, 66);
        assert!(
            !cooperative.view.decisions.is_empty(),
            "the Nightjar wave offers Sereno its decisions"
        );
        let md = markdown::render(&cooperative);
        let page = html::render(&cooperative).expect("render");
        assert!(md.contains("## Decision points") && page.contains("<h2>Decision points</h2>"));
        for d in &cooperative.view.decisions {
            let settled = d.settled.expect("bots decide at once");
            let team = settled.by.expect("chosen, not defaulted");
            let option = &d.options[settled.option as usize];
            assert!(option.recommended, "{}: {}", d.title, option.label);
            let row = format!(
                "| {} | {} | {} | {} |",
                d.title,
                option.label,
                cooperative.actor_name(Actor::Team(team)),
                settled.at
            );
            assert!(md.contains(&row), "{row}\n{md}");
        }
        let idle = regional_input(Policy::Idle, 66);
        let md = markdown::render(&idle);
        let defaults = idle
            .view
            .decisions
            .iter()
            .filter(|d| d.settled.is_some_and(|s| s.by.is_none()))
            .count();
        assert!(defaults > 0, "idle play leaves decisions to their defaults");
        assert!(md.contains("default at the deadline"));
    }

    #[test]
    fn markdown_report_names_every_economy_and_team_with_decisions() {
        let input = regional_input(Policy::Cooperative, 30);
        let md = markdown::render(&input);
        for economy in &input.view.economies {
            assert!(md.contains(&economy.name), "{}", economy.name);
        }
        for actor in analysis::decisions_per_actor(&input).keys() {
            assert!(md.contains(&format!("### {}", input.actor_name(*actor))));
        }
        assert!(md.contains(&input.state_hash));
    }

    /// A collapse of public trust is put to the debrief with what moved it.
    #[test]
    fn a_trust_collapse_question_says_what_moved_trust() {
        let mut input = regional_input(Policy::Idle, 6);
        let economy = &mut input.view.economies[0];
        let Some(first) = economy.history.first_mut() else {
            panic!("six ticks of history");
        };
        first.trust = economy.trust + 30.0;
        let Some(moves) = economy.trust_moves else {
            panic!("the report sees what moved every economy's trust");
        };
        let name = economy.name.clone();
        let questions = analysis::debrief_questions(&input);
        let Some(question) = questions
            .iter()
            .find(|q| q.theme == analysis::Theme::Trust && q.text.contains(&name))
        else {
            panic!("a 30-point fall is a collapse: {questions:#?}");
        };
        assert!(
            question
                .text
                .contains(&format!("What moved it: {}.", moves.words())),
            "{}",
            question.text
        );
    }

    #[test]
    fn idle_teams_leave_missed_detections_and_unshared_campaigns_to_discuss() {
        let input = regional_input(Policy::Idle, 72);
        assert!(input.decisions.is_empty());
        let questions = analysis::debrief_questions(&input);
        let undetected = input.view.incidents.iter().any(|i| i.detected_at.is_none());
        assert_eq!(
            undetected,
            questions
                .iter()
                .any(|q| q.theme == analysis::Theme::MissedDetection),
            "{questions:#?}"
        );
        assert!(
            !input.view.incidents.is_empty(),
            "72 idle ticks without any incident"
        );
        let times = analysis::response_times(&input);
        assert_eq!(times.len(), input.view.economies.len());
        let total: usize = times.iter().map(|t| t.incidents).sum();
        assert_eq!(total, input.view.incidents.len());
    }

    /// The economies table shows child online protection's own measure where there is
    /// harmful content (the ITU drill), and only there.
    #[test]
    fn the_economies_table_shows_children_exposed_and_safeguarded_with_harmful_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let text = bundled::ITU_CIRT_DRILL;
        let checked = scenario::parse(text).expect("bundled scenario");
        let header = Header::new("itu-cirt-drill.toml", text, 3, "test").with_bots("cooperative");
        let writer = JournalWriter::create(&path, &header).expect("create");
        let mut recorder = Recorder::new(Simulation::new(checked.scenario, 3), writer);
        play_bots(&mut recorder, Policy::Cooperative, 36).expect("play");
        let journal = read_journal(&path).expect("read");
        let input = from_journal(&journal).expect("the journal replays and verifies");
        let table = tables::economies_at_end(&input);
        let titles: Vec<&str> = table.columns.iter().map(|c| c.title.as_str()).collect();
        assert!(
            titles.ends_with(&["children exposed", "safeguarded"]),
            "{titles:?}"
        );
        let exposed: f64 = table
            .rows
            .iter()
            .filter_map(|row| row[6].parse::<f64>().ok())
            .sum();
        assert!(
            exposed > 0.0,
            "no child reached in the drill: {:?}",
            table.rows
        );
        assert!(
            markdown::render(&input).contains("children exposed"),
            "the markdown report shows them"
        );
        let regional = regional_input(Policy::Cooperative, 30);
        let table = tables::economies_at_end(&regional);
        let titles: Vec<&str> = table.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles.len(),
            8,
            "no harmful content, no children columns; spam: {titles:?}"
        );
        assert!(
            titles.ends_with(&["spam reaching people", "answered spam"]),
            "{titles:?}"
        );
        let reached: f64 = table
            .rows
            .iter()
            .filter_map(|row| row[6].parse::<f64>().ok())
            .sum();
        assert!(
            reached > 0.0,
            "the spam run reached people: {:?}",
            table.rows
        );
    }

    /// The self-assessment shows each economy's pillars at the start and the end and
    /// what moved them: here one training of the first team's economy.
    #[test]
    fn the_self_assessment_shows_pillars_at_start_and_end_and_what_moved_them() {
        use cyberdrill_engine::command::Pillar;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let text = bundled::TUTORIAL;
        let checked = scenario::parse(text).expect("bundled scenario");
        let header = Header::new("tutorial.toml", text, 3, "test").with_bots("idle");
        let writer = JournalWriter::create(&path, &header).expect("create");
        let mut recorder = Recorder::new(Simulation::new(checked.scenario, 3), writer);
        let train = Command::Train {
            pillar: Pillar::Technical,
        };
        let accepted = recorder
            .submit(
                Actor::Team(cyberdrill_engine::scenario::model::TeamIdx(0)),
                train,
            )
            .expect("journal");
        assert!(accepted.is_ok(), "{accepted:?}");
        play_bots(&mut recorder, Policy::Idle, 30).expect("play");
        let journal = read_journal(&path).expect("read");
        let input = from_journal(&journal).expect("the journal replays and verifies");
        let table = tables::self_assessment(&input);
        let titles: Vec<&str> = table.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles[2], "technical", "{titles:?}");
        let economy = input.view.teams[0].economy.index();
        let row = &table.rows[economy];
        assert!(row[2].contains(" → "), "technical moved: {row:?}");
        assert!(
            row[6].contains("technical +") && row[6].contains("training"),
            "{row:?}"
        );
        let others = table.rows.iter().enumerate().filter(|(i, _)| *i != economy);
        for (_, row) in others {
            assert_eq!(row[6], "nothing", "{row:?}");
        }
        assert!(markdown::render(&input).contains("## Self-assessment"));
        assert!(
            html::render(&input)
                .expect("render")
                .contains("<h3>Self-assessment")
        );
    }

    #[test]
    fn both_formats_render_every_table_of_the_one_model() {
        let input = regional_input(Policy::Cooperative, 30);
        let page = html::render(&input).expect("render");
        let md = markdown::render(&input);
        let mut all = vec![
            tables::economies_at_end(&input),
            tables::lowest_service_by_sector(&input),
            tables::response_times(&input),
            tables::incidents(&input, 0),
            tables::objectives(&input),
            tables::injects(&input),
            metrics::figures(&input),
            tables::who_knew(&input),
            tables::who_knew_campaigns(&input),
            tables::cross_border(&input),
            tables::decision_timeline(&input),
        ];
        all.extend(tables::decisions(&input).into_iter().map(|d| d.table));
        all.extend(metrics::lists(&input).into_iter().map(|(_, table)| table));
        for table in &all {
            assert!(!table.rows.is_empty(), "{:?} has no row", table.columns);
            assert!(page.contains(&html::table(table)), "{:?}", table.columns);
            assert!(md.contains(&markdown::table(table)), "{:?}", table.columns);
        }
        for (name, value) in tables::summary(&input) {
            assert!(page.contains(&html::escape(&value)), "{name}");
            assert!(md.contains(&value), "{name}");
        }
    }

    #[test]
    fn who_knew_what_when_tells_each_economys_learning_of_each_incident() {
        let input = regional_input(Policy::Cooperative, 72);
        assert_eq!(
            input.knowledge.len(),
            input.view.incidents.len(),
            "the record covers every incident"
        );
        let learned = tables::who_knew(&input);
        let total: usize = input.knowledge.iter().map(|k| k.known.len()).sum();
        assert_eq!(learned.rows.len(), total, "one row per learning");
        // An incident its own economy detected: learned by own detection, at the tick
        // the incident says it was detected.
        let detected = input
            .view
            .incidents
            .iter()
            .find(|i| i.detected_at.is_some())
            .expect("cooperative teams detect something in 72 ticks");
        let own = learned
            .rows
            .iter()
            .find(|r| {
                r[0] == detected.id.0.to_string()
                    && r[3] == input.economy_name(detected.economy.index())
            })
            .expect("the detecting economy learned of it");
        assert_eq!(own[6], "own detection");
        assert_eq!(own[4], detected.detected_at.unwrap_or_default().to_string());
        let shared: Vec<&Vec<String>> = learned
            .rows
            .iter()
            .filter(|r| r[6].starts_with("shared by ") && r[6].contains("(TLP:"))
            .collect();
        assert!(!shared.is_empty(), "cooperative teams share indicators");
        for row in &shared {
            assert_ne!(row[1].split('(').nth(1), None);
            assert!(
                !row[6].contains(&format!("shared by {}", row[3])),
                "{row:?}"
            );
        }
        let campaigns = tables::who_knew_campaigns(&input);
        assert!(!campaigns.rows.is_empty());
        for row in &campaigns.rows {
            let (at, through) = (&row[2], &row[4]);
            let earliest = learned
                .rows
                .iter()
                .filter(|r| r[2] == row[0] && r[3] == row[1])
                .map(|r| r[4].parse::<u32>().unwrap_or(u32::MAX))
                .min()
                .expect("a campaign row comes from a learning");
            assert_eq!(at, &earliest.to_string(), "{row:?}");
            assert!(learned.rows.iter().any(|r| &r[0] == through));
        }
        let page = html::render(&input).expect("render");
        assert!(page.contains("<h2>Who knew what, when</h2>"));
        assert!(page.contains("\nWho knew what, when\n</text>"), "the chart");
        assert!(page.contains(&html::table(&campaigns)));
        assert!(page.contains("\nDecisions and messages over time\n</text>"));
        let md = markdown::render(&input);
        assert!(md.contains(&markdown::table(&learned)));
        assert!(md.contains(&markdown::table(&tables::decision_timeline(&input))));
    }

    #[test]
    fn a_notification_is_how_an_economy_first_learned_of_a_campaign() {
        let mut input = regional_input(Policy::Idle, 10);
        let campaign = input.view.campaigns[0].idx;
        let to = input.view.economies[1].idx;
        input.notifications.push(knowledge::Notification {
            tick: 1,
            campaign,
            from: input.view.economies[0].idx,
            to,
        });
        let campaigns = tables::who_knew_campaigns(&input);
        let row = campaigns
            .rows
            .iter()
            .find(|r| r[0] == input.campaign_name(campaign) && r[1] == input.economy_name(1))
            .expect("the notified economy knows the campaign");
        assert_eq!(
            row[1..],
            [
                input.economy_name(1),
                "1".to_string(),
                format!("notified by {}", input.economy_name(0)),
                "–".to_string()
            ]
        );
    }

    #[test]
    fn every_incident_is_on_a_timeline_chart_and_in_the_table() {
        let mut input = regional_input(Policy::Idle, 72);
        let template = input.view.incidents[0].clone();
        let first_new = input.view.incidents.len() as u32 + 1;
        for id in first_new..first_new + 50 {
            let mut incident = template.clone();
            incident.id.0 = id;
            input.view.incidents.push(incident);
        }
        let total = input.view.incidents.len();
        let charts = total.div_ceil(charts::MAX_INCIDENT_ROWS);
        assert!(charts >= 2);
        let page = html::render(&input).expect("render");
        for chart in 0..charts {
            let first = chart * charts::MAX_INCIDENT_ROWS + 1;
            let last = (first + charts::MAX_INCIDENT_ROWS - 1).min(total);
            let caption = format!("incidents {first} to {last} of {total}");
            assert!(page.contains(&caption), "no chart says {caption}");
        }
        let last_label = format!("#{} ", first_new + 49);
        assert!(page.contains(&last_label), "the last incident is drawn");
        let listed = tables::incidents(&input, 0);
        assert_eq!(listed.rows.len(), total);
        assert!(page.contains(&html::table(&listed)));
        assert!(markdown::render(&input).contains(&format!("| {} |", first_new + 49)));
    }

    #[test]
    fn the_loss_chart_turns_logarithmic_when_one_economy_dwarfs_another() {
        assert!(!charts::needs_log_scale(&[0.0, 0.0]));
        assert!(!charts::needs_log_scale(&[1.0e6, 2.0e5, 0.0]));
        assert!(charts::needs_log_scale(&[1.0e6, 4.0e4]));
        let mut input = regional_input(Policy::Idle, 72);
        // Every economy losing alike: a linear scale.
        for economy in &mut input.view.economies {
            economy.loss = 1.0e6;
            for point in &mut economy.history {
                point.loss = 1.0e6 * f64::from(point.tick) / 72.0;
            }
        }
        let linear = charts::loss_by_economy(&input).expect("draw");
        assert!(!linear.contains("logarithmic"));
        let top = &mut input.view.economies[0];
        top.loss *= 1000.0;
        for point in &mut top.history {
            point.loss *= 1000.0;
        }
        let losses: Vec<f64> = input.view.economies.iter().map(|e| e.loss).collect();
        assert!(charts::needs_log_scale(&losses), "{losses:?}");
        let log = charts::loss_by_economy(&input).expect("draw");
        assert!(log.contains("logarithmic scale"));
        assert!(log.contains(&html::escape(&money(
            10f64.powi(input.view.economies[0].loss.log10().floor() as i32)
        ))));
    }

    /// Where the money went: every economy's loss in context and by cause, in both
    /// formats, and what moved trust.
    #[test]
    fn both_formats_say_where_the_money_went_and_what_moved_trust() {
        let input = regional_input(Policy::Cooperative, 30);
        let page = html::render(&input).expect("render");
        let md = markdown::render(&input);
        for text in [&page, &md] {
            assert!(text.contains("Where the money went"));
            assert!(text.contains("What moved trust"));
            for cause in cyberdrill_engine::economics::Cause::ALL {
                assert!(text.contains(cause.label()), "{}", cause.label());
            }
            for cause in cyberdrill_engine::trust::TrustCause::ALL {
                assert!(text.contains(cause.label()), "{}", cause.label());
            }
        }
        assert!(page.contains("Loss by cause, share of each economy"));
        for e in &input.view.economies {
            let context = cyberdrill_engine::money::in_context(e.loss, e.output, &e.name);
            assert!(md.contains(&context), "{context}");
        }
    }

    /// Where the money went by sector and asset: the economy's sectors and costliest
    /// assets, each with its share of the economy's output, in both formats.
    #[test]
    fn both_formats_name_the_sectors_and_assets_the_money_went_through() {
        let input = regional_input(Policy::Idle, 72);
        let page = html::render(&input).expect("render");
        let md = markdown::render(&input);
        let by_sector = loss_causes::by_sector(&input);
        let top = loss_causes::top_assets(&input);
        assert!(!by_sector.rows.is_empty() && !top.rows.is_empty());
        for text in [&page, &md] {
            assert!(text.contains("Outages by sector"));
            assert!(text.contains("Costliest assets"));
        }
        assert!(page.contains(&html::table(&by_sector)));
        assert!(page.contains(&html::table(&top)));
        assert!(md.contains(&markdown::table(&by_sector)));
        assert!(md.contains(&markdown::table(&top)));
        let sectors = &input.view.sectors;
        for e in &input.view.economies {
            // Every sector that lost output is listed, with its share of output.
            for (loss, sector) in e.loss_by_sector.iter().zip(sectors) {
                if *loss > 0.0 {
                    let row = [
                        e.name.clone(),
                        sector.name.clone(),
                        money(*loss),
                        cyberdrill_engine::money::share(*loss, e.output),
                    ];
                    assert!(by_sector.rows.contains(&row.to_vec()), "{row:?}");
                }
            }
            for asset in &e.top_assets {
                assert!(
                    top.rows
                        .iter()
                        .any(|r| r[0] == e.name && r[1] == asset.name && r[2] == money(asset.loss)),
                    "{}",
                    asset.name
                );
            }
            let outage = e.loss_breakdown.map_or(0.0, |b| b.outage());
            let sectors_sum: f64 = e.loss_by_sector.iter().sum();
            assert!((sectors_sum - outage).abs() <= 1e-6 * outage.max(1.0));
        }
    }

    #[test]
    fn time_axes_read_in_ticks_and_scenario_time() {
        let input = regional_input(Policy::Cooperative, 72);
        let minutes = input.view.tick_minutes;
        let page = html::render(&input).expect("render");
        let axis = format!(
            "tick (1 tick = {} of scenario time)",
            charts::duration(u64::from(minutes))
        );
        assert_eq!(
            page.matches(&axis).count(),
            page.matches("<svg").count() - 2,
            "every chart but the map and the loss by cause has a time axis"
        );
        let ten = format!(
            "\n10 ({})\n</text>",
            charts::duration(10 * u64::from(minutes))
        );
        assert!(page.contains(&ten), "a tick label with its scenario time");
        assert_eq!(charts::duration(45), "45m");
        assert_eq!(charts::duration(390), "6h 30m");
        assert_eq!(charts::duration(1800), "1d 6h");
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    /// The regional scenario played by cooperative bots for 30 ticks, journaled, with
    /// `events` spliced in as a served exercise would have journaled them (each after
    /// the step to its tick).
    fn served_journal(events: &[(u32, SessionEvent)]) -> Journal {
        served_journal_of(bundled::APEC_REGIONAL, events)
    }

    /// [`served_journal`] of the scenario `text` (the regional one, with modules added).
    pub(super) fn served_journal_of(text: &str, events: &[(u32, SessionEvent)]) -> Journal {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let checked = scenario::parse(text).expect("bundled scenario");
        let header = Header::new("apec-regional.toml", text, 4, "serve");
        let writer = JournalWriter::create(&path, &header).expect("create");
        let mut recorder = Recorder::new(Simulation::new(checked.scenario, 4), writer);
        play_bots(&mut recorder, Policy::Cooperative, 30).expect("play");
        let mut journal = read_journal(&path).expect("read");
        let session_at = |at: u32| {
            events
                .iter()
                .filter(move |(tick, _)| *tick == at)
                .map(|(tick, event)| Record::Session {
                    tick: *tick,
                    event: event.clone(),
                })
        };
        let mut records: Vec<Record> = session_at(0).collect();
        for record in std::mem::take(&mut journal.records) {
            let stepped = match &record {
                Record::Step { tick, .. } => Some(*tick),
                _ => None,
            };
            records.push(record);
            if let Some(tick) = stepped {
                records.extend(session_at(tick));
            }
        }
        journal.records = records;
        journal
    }

    pub(super) fn team(i: u32) -> Actor {
        Actor::Team(cyberdrill_engine::scenario::model::TeamIdx(i))
    }

    fn seat_codes() -> SessionEvent {
        SessionEvent::SeatCodes {
            facilitator: "FACIL-CODE-7Q2X".to_string(),
            teams: [("nor-csirt".to_string(), "TEAM-CODE-K9ZP".to_string())]
                .into_iter()
                .collect(),
            evaluators: vec!["EVAL-CODE-3MNB".to_string()],
        }
    }

    #[test]
    fn the_session_section_tells_joins_pauses_and_restarts_in_both_formats() {
        let journal = served_journal(&[
            (0, seat_codes()),
            (
                0,
                SessionEvent::PaceChanged {
                    pace: cyberdrill_engine::journal::Pace::TurnBased,
                },
            ),
            (
                0,
                SessionEvent::Joined {
                    actor: team(0),
                    bot: false,
                },
            ),
            (
                0,
                SessionEvent::Joined {
                    actor: team(1),
                    bot: true,
                },
            ),
            (3, SessionEvent::Left { actor: team(0) }),
            (
                10,
                SessionEvent::Joined {
                    actor: team(0),
                    bot: false,
                },
            ),
            (12, SessionEvent::Paused),
            (15, SessionEvent::Resumed { paused_ms: None }),
            (20, SessionEvent::ResumedFromJournal),
            (25, SessionEvent::Paused),
        ]);
        let input = from_journal(&journal).expect("session events never change the state");
        let session = tables::session(&input).expect("the journal has session events");
        let row = |what: &str| {
            session
                .rows
                .iter()
                .find(|r| r[1].contains(what))
                .unwrap_or_else(|| panic!("no row for {what}: {session:?}"))
                .clone()
        };
        let first = input.actor_name(team(0));
        let second = input.actor_name(team(1));
        assert_eq!(
            row(&format!("{first} left")),
            ["3", &format!("{first} left"), "7"]
        );
        assert_eq!(row(&format!("{second} joined (bot)"))[0], "0");
        assert_eq!(row("turn-based")[0], "0");
        let pauses: Vec<&Vec<String>> = session
            .rows
            .iter()
            .filter(|r| r[1] == "the clock was paused")
            .collect();
        assert_eq!(pauses[0][2], "3");
        assert_eq!(pauses[1][2], "5, to the end");
        assert_eq!(
            row("restarted")[1],
            "the server was restarted at tick 20; the exercise continued from its journal"
        );
        assert_eq!(session.rows.len(), 9, "every event but the codes");
        let page = html::render(&input).expect("render");
        let md = markdown::render(&input);
        assert!(page.contains(&format!("<h2>Session</h2>\n{}", html::table(&session))));
        assert!(md.contains(&format!("## Session\n\n{}", markdown::table(&session))));
    }

    #[test]
    fn join_codes_never_reach_a_report_in_either_format() {
        let journal = served_journal(&[
            (0, seat_codes()),
            (
                0,
                SessionEvent::Joined {
                    actor: team(0),
                    bot: false,
                },
            ),
            (5, SessionEvent::ResumedFromJournal),
            (5, seat_codes()),
        ]);
        let input = from_journal(&journal).expect("verifies");
        let page = html::render(&input).expect("render");
        let md = markdown::render(&input);
        assert!(page.contains("<h2>Session</h2>") && md.contains("## Session"));
        for code in ["FACIL-CODE-7Q2X", "TEAM-CODE-K9ZP"] {
            assert!(!page.contains(code), "the HTML report shows {code}");
            assert!(!md.contains(code), "the Markdown report shows {code}");
        }
        assert!(
            !format!("{:?}", input.session).contains("CODE"),
            "the report input keeps no code"
        );
    }

    #[test]
    fn a_journal_without_session_events_has_no_session_section() {
        let input = regional_input(Policy::Cooperative, 10);
        assert!(tables::session(&input).is_none());
        assert!(
            !html::render(&input)
                .expect("render")
                .contains("<h2>Session</h2>")
        );
        assert!(!markdown::render(&input).contains("## Session"));
        // The codes alone are no story to tell.
        let input = from_journal(&served_journal(&[(0, seat_codes())])).expect("verifies");
        assert!(tables::session(&input).is_none());
    }

    #[test]
    fn restarts_and_long_absences_become_debrief_questions() {
        let journal = served_journal(&[
            (2, SessionEvent::Left { actor: team(0) }),
            (
                4,
                SessionEvent::Joined {
                    actor: team(0),
                    bot: false,
                },
            ),
            (8, SessionEvent::Left { actor: team(1) }),
            (20, SessionEvent::ResumedFromJournal),
        ]);
        let input = from_journal(&journal).expect("verifies");
        assert!(input.hours(2.0) < 6.0 && input.hours(22.0) >= 6.0);
        let session: Vec<String> = analysis::debrief_questions(&input)
            .into_iter()
            .filter(|q| q.theme == analysis::Theme::Session)
            .map(|q| q.text)
            .collect();
        assert_eq!(session.len(), 2, "{session:#?}");
        assert!(
            session.iter().all(|q| !q.contains("  ")),
            "a question's words are one space apart: {session:#?}"
        );
        assert!(session[0].starts_with(&format!(
            "{} was away from tick 8 to the end (22 simulated hours)",
            input.actor_name(team(1))
        )));
        assert!(session[1].starts_with("The server was restarted at tick 20"));
        let page = html::render(&input).expect("render");
        assert!(page.contains("<h3>Running the exercise</h3>"));
    }
}
