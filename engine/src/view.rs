//! What one team may know, as plain data: the only picture of the world a player's
//! interface (local or over the network) ever receives.
//!
//! A team sees its own economy fully, other economies only through what is public
//! (published trust and loss figures, news) or has been shared with it; the
//! facilitator sees everything. Views are built by [`crate::Simulation::view`] and are
//! serialisable so that a server can send them to clients as they are.

use std::borrow::Cow;
use std::cell::OnceCell;

use serde::{Deserialize, Serialize};

use crate::command::{Actor, Command, IncidentId, Recipient, TaskId, Tlp};
use crate::detection::FoundBy;
use crate::economics::LossBreakdown;
use crate::readiness::ReadinessMoves;
use crate::scenario::model::{
    AssetIdx, CampaignIdx, CampaignKind, DecisionIdx, DependencyKind, EconomyIdx, InjectIdx,
    ObjectiveScope, Operator, Posture, Readiness, Role, SectorIdx, TeamIdx,
};
use crate::trust::TrustMoves;

/// How much of each economy's history a view carries. The history grows by one point
/// per economy per tick, so a client that keeps the points it was already sent needs
/// only the new ones, and a bot choosing its next move needs none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HistoryWindow {
    /// Every point since the start.
    #[default]
    Full,
    /// Only the points of ticks after this one.
    After(u32),
    /// No points at all.
    Omitted,
}

impl HistoryWindow {
    /// Whether a point of `tick` belongs in the window.
    pub fn includes(self, tick: u32) -> bool {
        match self {
            HistoryWindow::Full => true,
            HistoryWindow::After(after) => tick > after,
            HistoryWindow::Omitted => false,
        }
    }
}

/// A view built with [`HistoryWindow::After`] cannot be completed from an earlier view
/// whose history stops before the window opens: points would be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryGap {
    /// The window opened after this tick...
    pub after: u32,
    /// ...but the earlier view's history ended at this tick (`None`: it had none).
    pub had_through: Option<u32>,
}

impl std::fmt::Display for HistoryGap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.had_through {
            Some(t) => write!(
                f,
                "history points after tick {} were sent, but only those through tick {t} are known",
                self.after
            ),
            None => write!(
                f,
                "history points after tick {} were sent, but no earlier history is known",
                self.after
            ),
        }
    }
}

impl std::error::Error for HistoryGap {}

/// Everything one viewer may know at one tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub viewer: Actor,
    pub title: String,
    pub briefing: String,
    /// Ticks completed so far (0 before the first step).
    pub tick: u32,
    pub duration_ticks: u32,
    pub tick_minutes: u32,
    /// Simulated time of day / date for the clock, e.g. `Day 2 14:00`.
    pub time_label: String,
    /// The viewer's own team, `None` for the facilitator.
    pub my_team: Option<TeamIdx>,
    /// Directory of every team (public: who to talk to).
    pub teams: Vec<TeamInfo>,
    pub sectors: Vec<SectorInfo>,
    /// Every economy; detail depends on [`EconomyView::visibility`].
    pub economies: Vec<EconomyView>,
    /// The viewer's economy's assets plus the foreign assets they depend on
    /// (the facilitator: all assets), in index order.
    pub assets: Vec<AssetView>,
    /// Incidents the viewer knows of (detected at home, or shared with it), by id.
    pub incidents: Vec<IncidentView>,
    /// Campaigns the viewer has identified (the facilitator: all).
    pub campaigns: Vec<CampaignView>,
    /// The viewer's tasks in progress and recently finished (the facilitator: all teams').
    pub tasks: Vec<TaskView>,
    /// The viewer's analysts; zeros for the facilitator.
    pub analysts: AnalystsView,
    /// Messages to or from the viewer, and broadcasts, oldest first.
    pub messages: Vec<MessageView>,
    /// Injects delivered to the viewer (the facilitator: all, fired or pending), oldest first.
    pub injects: Vec<InjectView>,
    /// The viewer's objectives and the regional ones, with their current scores.
    pub objectives: Vec<ObjectiveView>,
    /// Open requests for analysts addressed to the viewer's economy (the facilitator:
    /// all), oldest first.
    #[serde(default)]
    pub assistance_requests: Vec<AssistanceRequestView>,
    /// Decision points offered to the viewer's team, open or settled (the facilitator:
    /// every one offered so far), in scenario order.
    #[serde(default)]
    pub decisions: Vec<DecisionView>,
}

/// A decision point as its teams see it: the question, the options with their stated
/// effects, the deadline and how it was settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub idx: DecisionIdx,
    pub id: String,
    pub title: String,
    pub text: String,
    /// The teams that may decide.
    pub teams: Vec<TeamIdx>,
    pub options: Vec<DecisionOptionView>,
    pub offered_at: u32,
    /// Tick the default applies if nobody has chosen; `None`: open until the end.
    pub deadline_at: Option<u32>,
    /// Index of the option applied at the deadline.
    pub default: Option<u32>,
    pub settled: Option<SettledView>,
}

impl DecisionView {
    /// Not settled yet: the teams may still choose.
    pub fn is_open(&self) -> bool {
        self.settled.is_none()
    }
}

/// One option of a decision point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionOptionView {
    pub id: String,
    pub label: String,
    pub text: String,
    /// What choosing it does, in words, one line per effect.
    pub effects: Vec<String>,
    /// The scenario author's advice (what the bots choose).
    pub recommended: bool,
}

/// How a decision point was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettledView {
    pub option: u32,
    /// The team that chose; `None`: the default applied at the deadline.
    pub by: Option<TeamIdx>,
    pub at: u32,
}

/// The history one client was sent so far, by economy: completes views that carry
/// only the points of [`HistoryWindow::After`] into full ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryBook {
    economies: Vec<Vec<EconomyPoint>>,
}

impl HistoryBook {
    /// Records the history `view` carries and completes it: `after: None` means the view
    /// has the whole history; `Some(t)` that it has only the points after tick `t`, the
    /// rest being in the book. Idempotent: a point sent twice is kept once.
    pub fn complete(&mut self, view: &mut View, after: Option<u32>) -> Result<(), HistoryGap> {
        let Some(after) = after else {
            self.economies = view.economies.iter().map(|e| e.history.clone()).collect();
            return Ok(());
        };
        if after > 0 {
            // Every economy gets a point at every tick, so one gap shows in all of them.
            let had_through = self
                .economies
                .iter()
                .filter_map(|h| h.last())
                .map(|p| p.tick)
                .min();
            if self.economies.len() != view.economies.len() || had_through.is_none_or(|t| t < after)
            {
                return Err(HistoryGap { after, had_through });
            }
        }
        self.economies.resize_with(view.economies.len(), Vec::new);
        for (known, economy) in self.economies.iter_mut().zip(&mut view.economies) {
            known.truncate(known.partition_point(|p| p.tick <= after));
            known.extend(economy.history.iter().filter(|p| p.tick > after));
            economy.history.clone_from(known);
        }
        Ok(())
    }

    /// Gives a view built with [`HistoryWindow::Omitted`] the history in the book. Every
    /// viewer sees the same (public) history, so the book of one seat serves the views
    /// of another that the facilitator watches.
    pub fn fill(&self, view: &mut View) {
        for (known, economy) in self.economies.iter().zip(&mut view.economies) {
            economy.history.clone_from(known);
        }
    }
}

/// A team's request for analysts from another economy, still (partly) unanswered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistanceRequestView {
    /// The team asking.
    pub from_team: TeamIdx,
    /// The economy asked.
    pub to: EconomyIdx,
    pub analysts: u32,
    /// Analysts provided so far.
    pub provided: u32,
    pub at: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamInfo {
    pub idx: TeamIdx,
    pub id: String,
    pub name: String,
    pub role: Role,
    pub economy: EconomyIdx,
    /// Sectors a regulator or operator answers for; empty = all.
    #[serde(default)]
    pub sectors: Vec<SectorIdx>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorInfo {
    pub idx: SectorIdx,
    pub id: String,
    pub name: String,
}

/// How much of an economy the viewer can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Own economy, or the facilitator.
    Full,
    /// Published figures only.
    Public,
}

/// One point of an economy's history, for sparklines and charts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EconomyPoint {
    pub tick: u32,
    /// Public trust 0-100.
    pub trust: f64,
    /// Cumulative economic loss, US dollars.
    pub loss: f64,
    /// Mean service level of its assets, 0-1.
    pub service: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyView {
    pub idx: EconomyIdx,
    pub id: String,
    pub name: String,
    pub visibility: Visibility,
    /// Public trust 0-100 (published).
    pub trust: f64,
    /// Cumulative economic loss in US dollars (published).
    pub loss: f64,
    /// Output (GDP) over the whole exercise, US dollars (published): what `loss` is a
    /// share of.
    #[serde(default)]
    pub output: f64,
    /// `loss` by cause. Only with full visibility.
    #[serde(default)]
    pub loss_breakdown: Option<LossBreakdown>,
    /// What moved `trust` since the start, by cause (they add up to the change). Only
    /// with full visibility, and not in bots' views (no bot reads it).
    #[serde(default)]
    pub trust_moves: Option<TrustMoves>,
    /// Its spam filtering and the spam that reached its people and was answered. Only
    /// with full visibility, in a scenario with a spam campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spam: Option<crate::spam::SpamSeen>,
    /// Outage loss by sector, US dollars, index-aligned with [`View::sectors`]. Only
    /// with full visibility, and not in bots' views; else empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loss_by_sector: Vec<f64>,
    /// The assets whose outages cost it most, largest first (at most
    /// [`crate::metrics::TOP_ASSETS`]), named: a foreign asset serving it may be outside
    /// the view's assets. Only with full visibility, and not in bots' views.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub top_assets: Vec<AssetLossView>,
    /// Mean service level of its assets 0-1 (published).
    pub service: f64,
    /// Only with full visibility.
    pub awareness: Option<f64>,
    /// Readiness on the five pillars now (published, as the ITU Global Cybersecurity
    /// Index is); `None` only in views written by an older version.
    pub readiness: Option<Readiness>,
    /// What raised `readiness` since the start, by cause (training, capacity-building
    /// assistance). Only with full visibility, and not in bots' views.
    #[serde(default)]
    pub readiness_moves: Option<ReadinessMoves>,
    /// Mean service per sector (index-aligned with [`View::sectors`]; `None` where the
    /// economy has no asset of that sector). Only with full visibility, else empty.
    pub sector_service: Vec<Option<f64>>,
    /// One point per completed tick, oldest first.
    pub history: Vec<EconomyPoint>,
}

impl EconomyView {
    /// Its outage loss by sector, largest first, sectors without loss left out; equal
    /// losses keep the scenario's sector order. `sectors` is [`View::sectors`].
    pub fn sectors_by_loss<'a>(&self, sectors: &'a [SectorInfo]) -> Vec<(f64, &'a SectorInfo)> {
        let mut rows: Vec<(f64, &SectorInfo)> = self
            .loss_by_sector
            .iter()
            .zip(sectors)
            .filter(|(loss, _)| **loss > 0.0)
            .map(|(loss, sector)| (*loss, sector))
            .collect();
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        rows
    }
}

/// What one asset's outages cost an economy so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetLossView {
    pub asset: AssetIdx,
    pub name: String,
    /// US dollars.
    pub loss: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DependencyView {
    pub on: AssetIdx,
    pub weight: f64,
    pub kind: DependencyKind,
    /// The asset depended on lies in another economy.
    pub cross_border: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetView {
    pub idx: AssetIdx,
    pub id: String,
    pub name: String,
    pub economy: EconomyIdx,
    pub sector: SectorIdx,
    pub operator: Operator,
    pub criticality: u8,
    pub people_served: u64,
    /// Current service level 0-1.
    pub service: f64,
    /// Only for the viewer's own assets.
    pub posture: Option<Posture>,
    pub depends_on: Vec<DependencyView>,
    /// Direct damage from attacks and hazards still to be restored, 0-1 (the rest of any
    /// outage cascades from what it depends on). Only for the viewer's own assets.
    #[serde(default)]
    pub damage: Option<f64>,
    /// US dollars of output per tick lost while the asset is completely down, in every
    /// economy it serves: what is at stake. Only for the viewer's own assets.
    #[serde(default)]
    pub at_stake: Option<f64>,
}

/// Where an incident stands. Ordered: later stages compare greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Reconnaissance,
    InitialAccess,
    Foothold,
    Impact,
}

/// How bad an incident is, from the asset's criticality and the damage done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

/// How the viewer learned of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Detected by the viewer's own economy (or seen by the facilitator).
    Own,
    /// Reported by another economy, under a TLP label.
    SharedBy { economy: EconomyIdx, tlp: Tlp },
}

/// Every economy that learned of one incident, in the order they learned: the
/// debrief's "who knew what, when" (read through `Simulation::knowledge`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentKnowledge {
    pub incident: IncidentId,
    pub known: Vec<crate::world::Knowing>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    pub id: IncidentId,
    pub asset: AssetIdx,
    pub economy: EconomyIdx,
    /// Known once investigated (the facilitator: always).
    pub campaign: Option<CampaignIdx>,
    pub kind: Option<CampaignKind>,
    pub stage: Stage,
    pub severity: Severity,
    pub source: Source,
    /// Tick the compromise began: known to the facilitator, else once investigated.
    pub started_at: Option<u32>,
    pub detected_at: Option<u32>,
    pub contained_at: Option<u32>,
    pub recovered_at: Option<u32>,
    /// Investigated: indicators are known and can be shared.
    pub investigated: bool,
    /// How its own economy found it (the facilitator and that economy's teams only).
    #[serde(default)]
    pub found_by: Option<FoundBy>,
    /// Harmful content reported to a hotline or the police (by referral or takedown):
    /// its children are followed up (the facilitator and that economy's teams only).
    #[serde(default)]
    pub referred: bool,
}

impl IncidentView {
    /// Neither contained nor recovered yet: still doing harm, still asking for work
    /// (a bot's triage, its restores and its training all turn on this).
    pub fn is_open(&self) -> bool {
        self.contained_at.is_none() && self.recovered_at.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignView {
    pub idx: CampaignIdx,
    pub id: String,
    pub name: String,
    pub kind: CampaignKind,
    /// Actor name.
    pub actor: String,
    /// Running now (the facilitator only; `false` for others).
    pub active: bool,
    /// Economy its actor operates from, once the viewer's economy investigated one of
    /// its incidents (`None`: not traced yet, or outside the region).
    #[serde(default)]
    pub origin: Option<EconomyIdx>,
    /// Economies hosting its infrastructure (known with its indicators): where a
    /// takedown or a seizure can act.
    #[serde(default)]
    pub hosting: Vec<EconomyIdx>,
    /// Hosting economies where it was already taken down or seized.
    #[serde(default)]
    pub taken_down: Vec<EconomyIdx>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: TaskId,
    pub team: TeamIdx,
    /// The action's label, e.g. `contain`.
    pub label: String,
    /// What it acts on, in words, e.g. `Arcadia national grid`.
    pub target: String,
    pub analysts: u32,
    pub started_at: u32,
    /// Tick at which it completes.
    pub done_at: u32,
    /// 0-1.
    pub progress: f64,
    pub finished: bool,
    /// The command the task carries out (lets a bot or the interface avoid repeating it).
    pub command: Command,
    /// What happened when it completed, in words.
    #[serde(default)]
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnalystsView {
    /// Own analysts plus borrowed ones.
    pub total: u32,
    /// Working on tasks, here or (lent) for another team.
    pub busy: u32,
    /// Lent to other teams.
    pub lent: u32,
    /// Borrowed from other teams.
    pub borrowed: u32,
    /// Lent by another economy and still on their way (the assistance delay), so the
    /// team knows help is coming and can plan for it.
    #[serde(default)]
    pub incoming: u32,
}

impl AnalystsView {
    /// Analysts free for a new task.
    pub fn free(&self) -> u32 {
        self.total.saturating_sub(self.busy)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub tick: u32,
    pub from: Actor,
    pub to: Recipient,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InjectView {
    pub idx: InjectIdx,
    /// Tick it fired; `None` while pending (only the facilitator sees pending ones).
    pub fired_at: Option<u32>,
    pub headline: String,
    pub text: String,
    /// Who the message comes from, as role-played ("Minister of Health"), if the
    /// scenario says: players read it with the text.
    #[serde(default)]
    pub sender: Option<String>,
    /// How it reaches the players ("email", "phone call"), if the scenario says.
    #[serde(default)]
    pub channel: Option<String>,
    /// How it is triggered, in words (the facilitator only; empty for teams).
    pub trigger: String,
    /// Who receives it, in words ("every team", "Arcadia CSIRT, Borealis CSIRT"): the
    /// facilitator's and evaluators' only; empty for teams.
    #[serde(default)]
    pub recipients: String,
    /// What it does to the world, one phrase per effect ("starts campaign Ransomware
    /// wave"): the facilitator's and evaluators' only; empty for teams.
    #[serde(default)]
    pub effects: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveView {
    pub id: String,
    pub description: String,
    pub scope: ObjectiveScope,
    pub weight: f64,
    /// 0-1, as measured so far.
    pub score: f64,
    /// What the percentage measures, in words ("share of ticks so far on which Arcadia's
    /// finance service was at or above 70%"), so a player knows what moves it.
    #[serde(default)]
    pub measure: String,
}

/// How far a task is, 0-1, at tick `now`: 1 once finished, else the share of its span
/// (at least one tick) elapsed. [`TaskView::progress`] is this.
pub(crate) fn task_progress(started_at: u32, done_at: u32, finished: bool, now: u32) -> f64 {
    if finished {
        return 1.0;
    }
    let span = done_at.saturating_sub(started_at).max(1);
    (f64::from(now.saturating_sub(started_at)) / f64::from(span)).min(1.0)
}

/// What a bot reads of its team's [`View`], borrowed rather than copied: the bot policy
/// ([`crate::policy`]) decides from it. A local simulation lends the lists it keeps up to
/// date between reads (the team directory and sectors fixed for the run, every economy's
/// public figures of the tick, the team's incidents, its own assets read from the state)
/// instead of copying them into a `View` per team per tick, which was most of a bot
/// run's cost; a bot playing over the network reads its `View` through
/// [`Sight::of_view`]. [`Sight::to_view`] gives back the `View` it stands for: a
/// simulation's sight of a team is that team's bot view (`Simulation::bot_view`),
/// which a test checks for every team at every tick.
pub struct Sight<'a> {
    pub(crate) tick: u32,
    pub(crate) duration_ticks: u32,
    pub(crate) tick_minutes: u32,
    pub(crate) my_team: Option<TeamIdx>,
    pub(crate) teams: &'a [TeamInfo],
    /// Whether each economy (by index) has a law-enforcement team among `teams`, if
    /// worked out once for the run; otherwise `teams` are looked through.
    pub(crate) police: Option<&'a [bool]>,
    pub(crate) sectors: &'a [SectorInfo],
    /// Every economy, by index; the viewer's own is [`Sight::own_economy`] when given.
    pub(crate) economies: Cow<'a, [EconomyView]>,
    /// The viewer's economy in full, standing in for its entry in `economies` (which
    /// then holds its public figures only).
    pub(crate) own_economy: Option<&'a EconomyView>,
    pub(crate) assets: SeenAssets<'a>,
    pub(crate) incidents: Cow<'a, [IncidentView]>,
    pub(crate) campaigns: SeenCampaigns<'a>,
    /// The team's tasks in view, in id order: lent from what the simulation keeps up to
    /// date, or copied from a view.
    pub(crate) tasks: Cow<'a, [TaskSeen]>,
    pub(crate) analysts: AnalystsView,
    pub(crate) assistance_requests: Cow<'a, [AssistanceRequestView]>,
    /// Decision points offered: the team's, or every one offered (a bot decides only
    /// those whose teams include it, and [`Sight::to_view`] keeps only those).
    pub(crate) decisions: Cow<'a, [DecisionView]>,
}

/// The campaigns a sight shows: a view's list, or a team's read from the simulation
/// when first asked for (a bot looks up only its cases' campaigns, one by one:
/// [`Sight::campaign`]).
pub(crate) enum SeenCampaigns<'a> {
    Listed(&'a [CampaignView]),
    Read {
        source: &'a dyn CampaignSource,
        team: TeamIdx,
        read: OnceCell<Vec<CampaignView>>,
    },
}

/// Where a team's campaigns are read from ([`SeenCampaigns::Read`]).
pub(crate) trait CampaignSource {
    /// The campaigns team `team`'s bot view lists.
    fn campaigns_of(&self, team: TeamIdx) -> Vec<CampaignView>;
    /// Campaign `campaign` as team `team`'s bot view lists it, if it does: one looked
    /// up without listing the others (a bot looks up only the campaigns of its cases).
    fn campaign_of(&self, team: TeamIdx, campaign: CampaignIdx) -> Option<CampaignSeen<'_>>;
}

/// A campaign as a bot reads it, its lists lent: a [`CampaignView`] without words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CampaignSeen<'a> {
    pub idx: CampaignIdx,
    pub kind: CampaignKind,
    pub active: bool,
    pub origin: Option<EconomyIdx>,
    pub hosting: &'a [EconomyIdx],
    pub taken_down: &'a [EconomyIdx],
}

impl<'a> From<&'a CampaignView> for CampaignSeen<'a> {
    fn from(c: &'a CampaignView) -> Self {
        CampaignSeen {
            idx: c.idx,
            kind: c.kind,
            active: c.active,
            origin: c.origin,
            hosting: &c.hosting,
            taken_down: &c.taken_down,
        }
    }
}

/// A task as a bot reads it: a [`TaskView`] without words. It owns its command so that
/// the simulation can keep each team's list from one read of the world to the next and
/// lend it to every bot round (a task's command never changes).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TaskSeen {
    pub id: TaskId,
    pub team: TeamIdx,
    pub analysts: u32,
    pub started_at: u32,
    pub done_at: u32,
    pub finished: bool,
    pub command: Command,
}

/// An asset as a bot reads it (what it costs to lose is [`Sight::stake`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AssetSeen {
    pub idx: AssetIdx,
    pub economy: EconomyIdx,
    pub sector: SectorIdx,
    pub operator: Operator,
    pub posture: Option<Posture>,
    pub damage: Option<f64>,
}

/// The assets a sight shows: a view's list, or one economy's assets read from the
/// simulation's state as they are now (the economy's own assets of a bot's view).
pub(crate) enum SeenAssets<'a> {
    Listed(&'a [AssetView]),
    Own(OwnAssets<'a>),
}

/// One economy's assets, read from the state: what a bot's view lists as its assets.
#[derive(Clone, Copy)]
pub(crate) struct OwnAssets<'a> {
    pub economy: EconomyIdx,
    /// Its assets, in index order.
    pub list: &'a [AssetIdx],
    pub scenario: &'a crate::scenario::model::Scenario,
    pub state: &'a crate::world::Assets,
    pub ledger: &'a crate::economics::Ledger,
}

impl OwnAssets<'_> {
    /// Its assets with direct damage above zero, in index order, from the damage column:
    /// one run of it when the economy's assets are contiguous (as generated worlds list
    /// them), allocating only for the damaged ones (a bot triages every tick, and few
    /// assets are damaged at a time).
    fn damaged(&self) -> Vec<AssetIdx> {
        let mut found = Vec::new();
        if let (Some(first), Some(last)) = (self.list.first(), self.list.last())
            && last.index() >= first.index()
            && last.index() - first.index() + 1 == self.list.len()
            && let Some(run) = self.state.damage.get(first.index()..=last.index())
        {
            for (k, d) in run.iter().enumerate() {
                if *d > 0.0 {
                    found.push(AssetIdx((first.index() + k) as u32));
                }
            }
            return found;
        }
        for &idx in self.list {
            if self.state.damage.get(idx.index()).is_some_and(|d| *d > 0.0) {
                found.push(idx);
            }
        }
        found
    }

    fn seen(&self, idx: AssetIdx) -> Option<AssetSeen> {
        let a = self.scenario.assets.get(idx.index())?;
        let i = idx.index();
        Some(AssetSeen {
            idx,
            economy: a.economy,
            sector: a.sector,
            operator: a.operator,
            posture: Some(*self.state.posture.get(i)?),
            damage: Some(*self.state.damage.get(i)?),
        })
    }

    /// The asset as a bot's view lists it (no words, no dependencies; posture, damage
    /// and output at stake: it is the viewer's own).
    fn view(&self, idx: AssetIdx) -> Option<AssetView> {
        let a = self.scenario.assets.get(idx.index())?;
        let i = idx.index();
        Some(AssetView {
            idx,
            id: String::new(),
            name: String::new(),
            economy: a.economy,
            sector: a.sector,
            operator: a.operator,
            criticality: a.criticality,
            people_served: a.people_served,
            service: self.state.service(i),
            posture: Some(self.state.posture[i]),
            depends_on: Vec::new(),
            damage: Some(self.state.damage[i]),
            at_stake: Some(self.ledger.shares.at_stake(i)),
        })
    }
}

impl From<&TaskView> for TaskSeen {
    fn from(t: &TaskView) -> Self {
        TaskSeen {
            id: t.id,
            team: t.team,
            analysts: t.analysts,
            started_at: t.started_at,
            done_at: t.done_at,
            finished: t.finished,
            command: t.command.clone(),
        }
    }
}

impl From<&AssetView> for AssetSeen {
    fn from(a: &AssetView) -> Self {
        AssetSeen {
            idx: a.idx,
            economy: a.economy,
            sector: a.sector,
            operator: a.operator,
            posture: a.posture,
            damage: a.damage,
        }
    }
}

impl<'a> Sight<'a> {
    /// A view as a bot reads it: everything borrowed from `view`.
    pub fn of_view(view: &'a View) -> Self {
        Sight {
            tick: view.tick,
            duration_ticks: view.duration_ticks,
            tick_minutes: view.tick_minutes,
            my_team: view.my_team,
            teams: &view.teams,
            police: None,
            sectors: &view.sectors,
            economies: Cow::Borrowed(&view.economies),
            own_economy: None,
            assets: SeenAssets::Listed(&view.assets),
            incidents: Cow::Borrowed(&view.incidents),
            campaigns: SeenCampaigns::Listed(&view.campaigns),
            tasks: Cow::Owned(view.tasks.iter().map(TaskSeen::from).collect()),
            analysts: view.analysts,
            assistance_requests: Cow::Borrowed(&view.assistance_requests),
            decisions: Cow::Borrowed(&view.decisions),
        }
    }

    /// Whether `economy` has a law-enforcement team (in the directory).
    pub(crate) fn police_in(&self, economy: EconomyIdx) -> bool {
        match self.police.and_then(|p| p.get(economy.index())) {
            Some(&police) => police,
            None => self
                .teams
                .iter()
                .any(|t| t.economy == economy && t.role == Role::LawEnforcement),
        }
    }

    /// The campaigns the viewer holds indicators of ([`View::campaigns`]).
    pub(crate) fn campaigns(&self) -> &[CampaignView] {
        match &self.campaigns {
            SeenCampaigns::Listed(list) => list,
            SeenCampaigns::Read { source, team, read } => {
                read.get_or_init(|| source.campaigns_of(*team))
            }
        }
    }

    /// Campaign `idx` if the viewer holds its indicators: the entry of
    /// [`Sight::campaigns`] with that index, read alone when the list was not.
    pub(crate) fn campaign(&self, idx: CampaignIdx) -> Option<CampaignSeen<'_>> {
        match &self.campaigns {
            SeenCampaigns::Listed(list) => {
                list.iter().find(|c| c.idx == idx).map(CampaignSeen::from)
            }
            SeenCampaigns::Read { source, team, read } => match read.get() {
                Some(list) => list.iter().find(|c| c.idx == idx).map(CampaignSeen::from),
                None => source.campaign_of(*team, idx),
            },
        }
    }

    /// Economy `economy` as the viewer sees it (its own in full), if in view: the
    /// entry at that position of [`View::economies`].
    pub(crate) fn economy(&self, economy: EconomyIdx) -> Option<&EconomyView> {
        self.economies.get(economy.index()).map(|e| self.as_seen(e))
    }

    /// Every economy in view, in [`View::economies`] order, the viewer's own in full.
    pub(crate) fn economies(&self) -> impl Iterator<Item = &EconomyView> + '_ {
        self.economies.iter().map(|e| self.as_seen(e))
    }

    fn as_seen<'s>(&'s self, e: &'s EconomyView) -> &'s EconomyView {
        match self.own_economy {
            Some(own) if own.idx == e.idx => own,
            _ => e,
        }
    }

    /// Asset `idx`, if in view.
    pub(crate) fn asset(&self, idx: AssetIdx) -> Option<AssetSeen> {
        match &self.assets {
            SeenAssets::Listed(list) => find_by(list, idx, |a| a.idx).map(AssetSeen::from),
            SeenAssets::Own(own) => {
                let a = own.scenario.assets.get(idx.index())?;
                if a.economy != own.economy {
                    return None;
                }
                own.seen(idx)
            }
        }
    }

    /// The assets in view as listed in a view, and those read from the state.
    fn asset_parts(&self) -> (&[AssetView], Option<&OwnAssets<'a>>) {
        match &self.assets {
            SeenAssets::Listed(list) => (list, None),
            SeenAssets::Own(own) => (&[], Some(own)),
        }
    }

    /// Every asset in view, in index order.
    pub(crate) fn assets(&self) -> impl Iterator<Item = AssetSeen> + '_ {
        let (listed, own) = self.asset_parts();
        listed.iter().map(AssetSeen::from).chain(
            own.into_iter()
                .flat_map(|own| own.list.iter().filter_map(|&idx| own.seen(idx))),
        )
    }

    /// The assets in view with direct damage to restore, in index order: those of
    /// [`Sight::assets`] whose damage is above zero, found without reading the others.
    pub(crate) fn damaged_assets(&self) -> impl Iterator<Item = AssetSeen> + '_ {
        let (listed, own) = self.asset_parts();
        let own_damaged: Vec<AssetSeen> = own.map_or_else(Vec::new, |own| {
            own.damaged()
                .into_iter()
                .filter_map(|idx| own.seen(idx))
                .collect()
        });
        listed
            .iter()
            .filter(|a| a.damage.is_some_and(|d| d > 0.0))
            .map(AssetSeen::from)
            .chain(own_damaged)
    }

    /// The output per tick asset `idx` carries (0 if not known) and its direct damage
    /// (0 if not known).
    pub(crate) fn stake(&self, idx: AssetIdx) -> (f64, f64) {
        match &self.assets {
            SeenAssets::Listed(list) => find_by(list, idx, |a| a.idx).map_or((0.0, 0.0), |a| {
                (a.at_stake.unwrap_or(0.0), a.damage.unwrap_or(0.0))
            }),
            SeenAssets::Own(own) => match self.asset(idx) {
                Some(seen) => (
                    own.ledger.shares.at_stake(idx.index()),
                    seen.damage.unwrap_or(0.0),
                ),
                None => (0.0, 0.0),
            },
        }
    }

    /// The view this sight stands for: for a simulation's sight of a team, its bot view
    /// (no history, no words, its own economy's assets).
    pub fn to_view(&self) -> View {
        let assets = match &self.assets {
            SeenAssets::Listed(list) => list.to_vec(),
            SeenAssets::Own(own) => own.list.iter().filter_map(|&i| own.view(i)).collect(),
        };
        View {
            viewer: self.my_team.map_or(Actor::Facilitator, Actor::Team),
            title: String::new(),
            briefing: String::new(),
            tick: self.tick,
            duration_ticks: self.duration_ticks,
            tick_minutes: self.tick_minutes,
            time_label: String::new(),
            my_team: self.my_team,
            teams: self.teams.to_vec(),
            sectors: self.sectors.to_vec(),
            economies: self.economies().cloned().collect(),
            assets,
            incidents: self.incidents.to_vec(),
            campaigns: self.campaigns().to_vec(),
            tasks: self
                .tasks
                .iter()
                .map(|t| TaskView {
                    id: t.id,
                    team: t.team,
                    label: String::new(),
                    target: String::new(),
                    analysts: t.analysts,
                    started_at: t.started_at,
                    done_at: t.done_at,
                    progress: task_progress(t.started_at, t.done_at, t.finished, self.tick),
                    finished: t.finished,
                    command: t.command.clone(),
                    outcome: None,
                })
                .collect(),
            analysts: self.analysts,
            messages: Vec::new(),
            injects: Vec::new(),
            objectives: Vec::new(),
            assistance_requests: self.assistance_requests.to_vec(),
            decisions: self
                .decisions
                .iter()
                .filter(|d| self.my_team.is_none_or(|t| d.teams.contains(&t)))
                .cloned()
                .collect(),
        }
    }
}

/// The item of `list` whose key is `key`: by bisection, as views list assets and
/// incidents in index order (keys are unique, so it is the one a search from the start
/// finds), and from the start when bisection misses (a list out of order).
pub(crate) fn find_by<T, K: Ord + Copy>(
    list: &[T],
    key: K,
    key_of: impl Fn(&T) -> K,
) -> Option<&T> {
    match list.binary_search_by_key(&key, &key_of) {
        Ok(i) => list.get(i),
        Err(_) => list.iter().find(|item| key_of(item) == key),
    }
}
