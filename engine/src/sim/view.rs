//! Building a viewer's [`View`]: its own economy fully, others through what is public
//! (trust, loss and service figures, history) or shared with it; the facilitator sees
//! everything, including pending injects and every team's tasks.

use std::borrow::Cow;
use std::cell::OnceCell;

use bevy_ecs::change_detection::Tick;
use bevy_ecs::prelude::*;
use bevy_ecs::system::{SystemChangeTick, SystemParam};

use crate::command::{Actor, Command, IncidentId, Recipient, TaskId};
use crate::decisions::{DecisionPoints, DecisionState};
use crate::detection::FoundBy;
use crate::metrics::Measures;
use crate::names::{self, Directory, Names};
use crate::scenario::model::{
    ActionCondition, AssetIdx, Audience, CampaignIdx, Condition, DecisionIdx, EconomyIdx, Goal,
    IncidentState, InjectIdx, LegalOutcome, ObjectiveScope, Role, Scenario, SectorIdx, TeamIdx,
    Trigger,
};
use crate::sim::rules::assistance_delay;
use crate::view::{
    AnalystsView, AssetLossView, AssetView, AssistanceRequestView, CampaignSeen, CampaignSource,
    CampaignView, DecisionOptionView, DecisionView, DependencyView, EconomyPoint, EconomyView,
    HistoryWindow, IncidentKnowledge, IncidentView, InjectView, MessageView, ObjectiveView,
    OwnAssets, SectorInfo, SeenAssets, SeenCampaigns, SettledView, Severity, Sight, Source, Stage,
    TaskSeen, TaskView, TeamInfo, View, Visibility, task_progress,
};
use crate::world::{
    Activity, Assignment, AssistanceRequest, Awareness, Contained, Detected, Done, EconomyRecord,
    Firing, Hit, Id, Ids, IncidentRecord, IncidentRecordItem, Indicators, Intrusion, Investigated,
    KnownBy, Message, MessageId, Recovered, RequestId, ScenarioData, Staff, TakenDown, Wording,
};

/// What views are built from: the measures (shared with metrics and objectives) and
/// what else a seat may be shown, read-only.
#[derive(SystemParam)]
pub struct ViewSource<'w, 's> {
    measures: Measures<'w, 's>,
    economy_ids: Res<'w, Ids<EconomyIdx>>,
    economies: Query<'w, 's, EconomyRecord>,
    /// Each economy's indicators alone: asked once per incident a view shows.
    indicators: Query<'w, 's, &'static Indicators>,
    incident_ids: Res<'w, Ids<IncidentId>>,
    incidents: Query<'w, 's, IncidentRecord>,
    campaign_ids: Res<'w, Ids<CampaignIdx>>,
    campaigns: Query<'w, 's, (&'static Activity, &'static TakenDown)>,
    task_ids: Res<'w, Ids<TaskId>>,
    tasks: Query<
        'w,
        's,
        (
            &'static Id<TaskId>,
            &'static Assignment,
            Option<&'static Done>,
        ),
    >,
    open_tasks: Query<'w, 's, &'static Assignment, Without<Done>>,
    /// Each task's assignment and whether it finished, alone: what a bot reads of its
    /// team's tasks, looked up for less than the whole task.
    task_states: Query<'w, 's, (&'static Assignment, Has<Done>)>,
    team_ids: Res<'w, Ids<TeamIdx>>,
    teams: Query<'w, 's, &'static Staff>,
    message_ids: Res<'w, Ids<MessageId>>,
    messages: Query<'w, 's, &'static Message>,
    inject_ids: Res<'w, Ids<InjectIdx>>,
    injects: Query<'w, 's, (&'static Firing, &'static Wording)>,
    request_ids: Res<'w, Ids<RequestId>>,
    requests: Query<'w, 's, &'static AssistanceRequest>,
    decision_points: Res<'w, DecisionPoints>,
    /// What the scenario fixes for the whole run, worked out once when the reads are
    /// set up rather than in every view (bots build one view per team per tick).
    fixed: Local<'s, Fixed>,
    /// Which messages each team sees, as far as [`ViewSource::index_messages`] got.
    message_index: Local<'s, MessageIndex>,
    /// Each team's tasks a view may still show, as far as [`ViewSource::index_tasks`] got.
    task_index: Local<'s, TaskIndex>,
    /// The requests for analysts still open, as far as [`ViewSource::index_requests`] got.
    request_index: Local<'s, RequestIndex>,
    /// Incidents any part of which a view shows changed since the previous read.
    changed_incidents: Query<'w, 's, IncidentRecord, IncidentChanged>,
    /// Economies whose indicators changed since the previous read.
    new_leads: Query<'w, 's, &'static Id<EconomyIdx>, Changed<Indicators>>,
    /// When this read and the previous one happened, for what changed in between.
    ticks: SystemChangeTick,
    /// The incidents each team knows of, as [`ViewSource::index_incidents`] left them.
    incident_index: Local<'s, IncidentIndex>,
    /// The economies' public figures in bots' views, as
    /// [`ViewSource::share_public_economies`] left them.
    public: Local<'s, PublicFigures>,
    /// Each economy's awareness alone: what a bot's own economy adds to its public
    /// figures, read without the rest of the economy's record.
    awareness: Query<'w, 's, &'static Awareness>,
    /// The decision points in bots' views, as [`ViewSource::share_decisions`] left them.
    decisions_kept: Local<'s, KeptDecisions>,
}

/// The decision points offered, every one as bots read them, kept with the decision
/// points' states they were listed from: the list follows from those states and the
/// scenario alone, and the states change only when a decision is offered or settled
/// (rarely), so the bot rounds of a run list them again only then.
#[derive(Default)]
pub struct KeptDecisions {
    of: Option<Vec<DecisionState>>,
    list: Vec<DecisionView>,
}

/// The economies as bots see those of other economies (their public figures), and each
/// as its own teams' bots see it, worked out once per simulation tick for every bot's
/// view of that tick: they change only as the simulation steps.
#[derive(Default)]
pub struct PublicFigures {
    /// The simulation tick they are of.
    at_tick: Option<u32>,
    economies: Vec<EconomyView>,
    /// Each economy (by index) as its own teams see it ([`own_economy`]).
    own: Vec<Option<EconomyView>>,
}

/// An incident any part of which a view shows changed (detected, shared, progressed,
/// contained, recovered, investigated, or its finder set).
type IncidentChanged = Or<(
    Changed<Hit>,
    Changed<Intrusion>,
    Changed<KnownBy>,
    Changed<Detected>,
    Changed<Contained>,
    Changed<Recovered>,
    Changed<Investigated>,
    Changed<FoundBy>,
)>;

/// The requests for analysts still open (fewer provided than asked), by id, kept up to
/// date as requests are made and answered ([`ViewSource::index_requests`]): views list
/// them without a pass over every request of the exercise.
#[derive(Default)]
pub struct RequestIndex {
    /// Requests indexed: ids below this one.
    indexed: u32,
    /// The open ones among them, in id order.
    open: Vec<RequestId>,
}

/// The incidents each team's view shows, kept from one read of the world to the next
/// and brought up to date from the incidents that changed in between
/// ([`ViewSource::index_incidents`]): a team's view lists what it knows without working
/// out every incident of the exercise again (bots build a view per team per tick, and
/// the incidents only grow).
#[derive(Default)]
pub struct IncidentIndex {
    /// The read (its change tick) the lists were last brought up to date in: they are
    /// current during that read, and the next read finds what changed since.
    read_at: Option<Tick>,
    /// Each team's incidents in id order.
    of_team: Vec<KeptList>,
    /// The campaigns each economy traced to their origin ([`traced`]), by economy.
    traced: Vec<Vec<bool>>,
    /// The simulation tick of that read: incidents and indicators change only as the
    /// simulation steps (commands start tasks, send messages and settle decisions, whose
    /// effects come with the next tick), so reads within one tick find nothing to bring
    /// up to date.
    at_tick: u32,
}

impl IncidentIndex {
    /// An incident its own economy investigated traces its campaign there.
    fn note_traced(&mut self, incident: &IncidentRecordItem) {
        if incident.investigated
            && let Some(traced) = self
                .traced
                .get_mut(incident.hit.economy.index())
                .and_then(|t| t.get_mut(incident.hit.campaign.index()))
        {
            *traced = true;
        }
    }

    /// The kept lists, if they are current in the read with change tick `read`.
    fn current(&self, read: Tick) -> Option<&Self> {
        (self.read_at == Some(read)).then_some(self)
    }
}

/// A team's kept list: the incidents as the team sees them, in id order (lent as they
/// are to its bot, [`bot_sight`]), and, index-aligned, what names each one's campaign once
/// the team's economy holds the campaign's indicators.
#[derive(Default)]
struct KeptList {
    views: Vec<IncidentView>,
    notes: Vec<Note>,
}

/// What names a kept incident's campaign.
#[derive(Clone, Copy)]
struct Note {
    hit: Hit,
    /// Indicators addressed to the team alone (TLP:AMBER+STRICT, RED) name it.
    addressed: bool,
}

/// An incident as team `viewer` sees it, if it knows of it, and what names its campaign.
fn kept_of(
    source: &ViewSource,
    viewer: Viewer,
    leads: &Leads,
    incident: &IncidentRecordItem,
) -> Option<(IncidentView, Note)> {
    let (_, addressed) = knowledge(incident, viewer)?;
    let view = incident_view(source, viewer, leads, incident)?;
    Some((
        view,
        Note {
            hit: *incident.hit,
            addressed,
        },
    ))
}

impl KeptList {
    /// Names the campaigns (and their kinds) as the team's economy's indicators now allow.
    fn name(&mut self, leads: &Leads) {
        for (view, note) in self.views.iter_mut().zip(&self.notes) {
            (view.campaign, view.kind) = named(&note.hit, note.addressed, leads);
        }
    }

    /// Puts an incident as the team now sees it in its place (in id order), replacing
    /// what the list held of it.
    fn put(&mut self, (view, note): (IncidentView, Note)) {
        match self.views.binary_search_by_key(&view.id, |v| v.id) {
            Ok(i) => {
                self.views[i] = view;
                self.notes[i] = note;
            }
            Err(i) => {
                self.views.insert(i, view);
                self.notes.insert(i, note);
            }
        }
    }
}

/// Team `viewer`'s kept list from a pass over every incident, in id order.
fn every_kept(source: &ViewSource, viewer: Viewer) -> KeptList {
    let leads = Leads::of(source, viewer);
    let mut kept: Vec<(IncidentView, Note)> = source
        .incidents
        .iter()
        .filter_map(|incident| kept_of(source, viewer, &leads, &incident))
        .collect();
    kept.sort_unstable_by_key(|(v, _)| v.id);
    let (views, notes) = kept.into_iter().unzip();
    KeptList { views, notes }
}

/// Each team's tasks that a view may still show (running, or finished less than
/// [`FINISHED_TASKS_SHOWN_FOR`] ticks ago), in id order, as bots read them, kept up to
/// date as tasks are started and finished ([`ViewSource::index_tasks`]): a team's view
/// lists its tasks without a pass over every task of the exercise, and a bot's sight
/// borrows its team's list instead of looking each task up again (bots read every
/// team's tasks in every round, and the tasks only grow).
#[derive(Default)]
pub struct TaskIndex {
    /// Tasks indexed: ids below this one.
    indexed: u32,
    /// The simulation tick the lists were last brought up to date at (finished flags
    /// read again, tasks finished too long ago left out): tasks finish only as the
    /// simulation steps, which moves the clock.
    pruned_at: u32,
    /// Each team's tasks, in id order, those finished long ago left out.
    of_team: Vec<Vec<TaskSeen>>,
}

impl TaskIndex {
    /// Team `team`'s list, if it is current at tick `now` with `total` tasks started.
    fn current(&self, team: TeamIdx, now: u32, total: u32) -> Option<&[TaskSeen]> {
        if self.indexed != total || self.pruned_at != now {
            return None;
        }
        self.of_team.get(team.index()).map(Vec::as_slice)
    }
}

/// Task `id` as a bot reads it (`finished`: it has its outcome).
fn task_seen(id: TaskId, task: &Assignment, finished: bool) -> TaskSeen {
    TaskSeen {
        id,
        team: task.team,
        analysts: task.analysts,
        started_at: task.started_at,
        done_at: task.done_at,
        finished,
        command: task.command.clone(),
    }
}

/// Which messages each team sees, by id, kept up to date as messages are sent
/// ([`ViewSource::index_messages`]): a team's view lists its messages without a pass
/// over every message of the exercise (a server builds a view per seat per tick, and
/// the messages only grow).
#[derive(Default)]
pub struct MessageIndex {
    /// Messages indexed: ids below this one.
    indexed: u32,
    /// Messages to everyone.
    to_all: Vec<MessageId>,
    /// Each team's other messages: those it sent, and those to it or its economy.
    of_team: Vec<Vec<MessageId>>,
}

impl MessageIndex {
    /// Adds message `id` to the lists of the teams that see it.
    fn add(&mut self, id: MessageId, message: &Message, team_economies: &[EconomyIdx]) {
        let mut note = |team: usize| {
            if let Some(list) = self.of_team.get_mut(team)
                && list.last() != Some(&id)
            {
                list.push(id);
            }
        };
        match message.to {
            Recipient::All => self.to_all.push(id),
            Recipient::Team(t) => note(t.index()),
            Recipient::Economy(e) => {
                for (team, economy) in team_economies.iter().enumerate() {
                    if *economy == e {
                        note(team);
                    }
                }
            }
            Recipient::Facilitator => {}
        }
        if let (Actor::Team(t), false) = (message.from, message.to == Recipient::All) {
            note(t.index());
        }
    }
}

/// What views read the same way for the whole run: each objective's measure in words,
/// and each economy's assets (a bot's view lists its own economy's assets only, without
/// a pass over every asset of the region).
pub struct Fixed {
    /// [`goal_words`] of each objective, in scenario order.
    measures: Vec<String>,
    /// The assets of each economy, in index order.
    assets_of: Vec<Vec<AssetIdx>>,
    /// The team directory as bots read it (no names), lent to every bot's sight.
    bot_teams: Vec<TeamInfo>,
    /// The sectors as bots read them (no names).
    bot_sectors: Vec<SectorInfo>,
    /// Whether each economy has a law-enforcement team.
    police: Vec<bool>,
}

impl FromWorld for Fixed {
    fn from_world(world: &mut World) -> Self {
        let scenario = &world.resource::<ScenarioData>().0;
        let mut assets_of = vec![Vec::new(); scenario.economies.len()];
        for (i, asset) in scenario.assets.iter().enumerate() {
            if let Some(list) = assets_of.get_mut(asset.economy.index()) {
                list.push(AssetIdx(i as u32));
            }
        }
        let mut police = vec![false; scenario.economies.len()];
        for team in &scenario.teams {
            if team.role == Role::LawEnforcement
                && let Some(here) = police.get_mut(team.economy.index())
            {
                *here = true;
            }
        }
        Self {
            police,
            measures: scenario
                .objectives
                .iter()
                .map(|o| goal_words(scenario, &o.goal))
                .collect(),
            assets_of,
            bot_teams: team_directory(scenario, false),
            bot_sectors: sector_list(scenario, false),
        }
    }
}

impl ViewSource<'_, '_> {
    fn scenario(&self) -> &Scenario {
        &self.measures.scenario.0
    }

    /// Brings what views keep from one read of the world to the next up to date with
    /// what changed since (messages sent, tasks started and finished, requests made and
    /// answered, incidents found, shared and moved on): views built without it are the
    /// same, only slower.
    pub fn keep_up(&mut self) {
        self.index_messages();
        self.index_tasks();
        self.index_requests();
        self.index_incidents();
    }

    /// Works out the economies' public figures for bots' views of this tick, unless they
    /// are already ([`ViewSource::bots_public_economies`]).
    pub fn share_public_economies(&mut self) {
        let now = self.measures.clock.tick;
        if self.public.at_tick == Some(now) {
            return;
        }
        let economies = public_economies(self, HistoryWindow::Omitted, Reader::Bot);
        let own = self
            .economy_ids
            .iter()
            .map(|(e, _)| own_economy(self, e, &economies))
            .collect();
        *self.public = PublicFigures {
            at_tick: Some(now),
            economies,
            own,
        };
    }

    /// Lists the decision points offered for bots' views, unless they are already
    /// ([`KeptDecisions`]).
    pub fn share_decisions(&mut self) {
        let states = &self.decision_points.0;
        if self.decisions_kept.of.as_ref() == Some(states) {
            return;
        }
        *self.decisions_kept = KeptDecisions {
            of: Some(states.clone()),
            list: decisions(self, Viewer::facilitator(), false),
        };
    }

    /// The economies' public figures for bots' views, if worked out for this tick.
    pub fn bots_public_economies(&self) -> Option<&[EconomyView]> {
        (self.public.at_tick == Some(self.measures.clock.tick))
            .then_some(self.public.economies.as_slice())
    }

    /// Economy `economy` as its own teams' bots see it, if worked out for this tick.
    fn bots_own_economy(&self, economy: EconomyIdx) -> Option<&EconomyView> {
        self.bots_public_economies()?;
        self.public.own.get(economy.index())?.as_ref()
    }

    /// Indexes the messages sent since the last call (messages are never removed).
    /// Views built without it are the same, only slower: they look through the
    /// messages not indexed yet one by one.
    fn index_messages(&mut self) {
        let total = self.message_ids.len() as u32;
        let index = &mut *self.message_index;
        if index.indexed > total {
            *index = MessageIndex::default();
        }
        if index.indexed == total {
            return;
        }
        let scenario = &self.measures.scenario.0;
        let team_economies: Vec<EconomyIdx> = scenario.teams.iter().map(|t| t.economy).collect();
        index.of_team.resize_with(team_economies.len(), Vec::new);
        for position in index.indexed..total {
            let id = MessageId(position);
            if let Some(message) = self
                .message_ids
                .get(id)
                .and_then(|e| self.messages.get(e).ok())
            {
                index.add(id, message, &team_economies);
            }
        }
        index.indexed = total;
    }

    /// Indexes the requests made since the last call and drops those answered in full
    /// (requests are never removed, and what was provided only grows).
    fn index_requests(&mut self) {
        let total = self.request_ids.len() as u32;
        let index = &mut *self.request_index;
        if index.indexed > total {
            *index = RequestIndex::default();
        }
        index.open.extend((index.indexed..total).map(RequestId));
        index.indexed = total;
        index.open.retain(|&id| {
            self.request_ids
                .get(id)
                .and_then(|e| self.requests.get(e).ok())
                .is_some_and(|r| r.provided < r.analysts)
        });
    }

    /// Brings each team's list of incidents up to date: for every team, the incidents
    /// that changed since the previous read (detected, shared, progressed, contained,
    /// recovered, investigated), and the campaigns named in the list of a team whose
    /// economy's indicators changed. Lists are kept only from one read to
    /// the next: a read that did not bring them up to date starts them again.
    fn index_incidents(&mut self) {
        let this_run = self.ticks.this_run();
        let mut index = std::mem::take(&mut *self.incident_index);
        if self.every_item() {
            *self.incident_index = IncidentIndex::default();
            return;
        }
        let source: &ViewSource = self;
        let scenario = source.scenario();
        let teams = scenario.teams.len();
        let continues =
            index.read_at == Some(source.ticks.last_run()) && index.of_team.len() == teams;
        let now = source.measures.clock.tick;
        if continues && index.at_tick == now {
            index.read_at = Some(this_run);
            *self.incident_index = index;
            return;
        }
        let viewers: Vec<Viewer> = (0..teams)
            .map(|t| Viewer::team(scenario, TeamIdx(t as u32)))
            .collect();
        if !continues {
            let economies = scenario.economies.len();
            index.traced = vec![vec![false; scenario.campaigns.len()]; economies];
            for incident in source.incidents.iter() {
                index.note_traced(&incident);
            }
            index.of_team = viewers.iter().map(|v| every_kept(source, *v)).collect();
        } else {
            let leads: Vec<Leads> = viewers.iter().map(|v| Leads::of(source, *v)).collect();
            for economy in source.new_leads.iter() {
                for (t, list) in index.of_team.iter_mut().enumerate() {
                    if viewers[t].economy == Some(economy.0) {
                        list.name(&leads[t]);
                    }
                }
            }
            // Referrals are made as the simulation steps: the flags of every kept
            // incident are read again when any was made since the previous read.
            let protection = &source.measures.protection;
            if protection.is_changed() {
                for (t, list) in index.of_team.iter_mut().enumerate() {
                    for view in &mut list.views {
                        view.referred =
                            viewers[t].owns(view.economy) && protection.referred(view.id);
                    }
                }
            }
            // What economies and teams know of an incident only grows (`KnownBy` is
            // only added to): a team that does not know a changed incident never listed
            // it, and its list is left as it is.
            for incident in source.changed_incidents.iter() {
                index.note_traced(&incident);
                for (t, list) in index.of_team.iter_mut().enumerate() {
                    if let Some(seen) = kept_of(source, viewers[t], &leads[t], &incident) {
                        list.put(seen);
                    }
                }
            }
        }
        index.read_at = Some(this_run);
        index.at_tick = now;
        *self.incident_index = index;
    }

    /// Whether views read every item (every task, incident, request, economy) rather
    /// than what is kept of them or shared between them:
    /// the reference the indexes are tested against, taken with the per-asset passes'
    /// ([`crate::Simulation::visit_every_asset`]).
    fn every_item(&self) -> bool {
        self.measures.assets.active.visits_all()
    }

    /// Indexes the tasks started since the last call and, once per simulation tick,
    /// notes which of the indexed tasks finished and leaves out of the lists those
    /// finished too long ago to be shown (tasks are never removed, a task's assignment
    /// never changes, a finished task stays finished, and tasks finish only as the
    /// simulation steps). Views built without it are the same, only slower: they look
    /// through the tasks not indexed yet one by one.
    fn index_tasks(&mut self) {
        let total = self.task_ids.len() as u32;
        let now = self.measures.clock.tick;
        let mut index = std::mem::take(&mut *self.task_index);
        if index.indexed > total || index.pruned_at > now {
            index = TaskIndex::default();
        }
        index
            .of_team
            .resize_with(self.measures.scenario.0.teams.len(), Vec::new);
        for position in index.indexed..total {
            let id = TaskId(position);
            if let Some((task, finished)) = self.task_state(id)
                && still_shown(task, finished, now)
                && let Some(list) = index.of_team.get_mut(task.team.index())
            {
                list.push(task_seen(id, task, finished));
            }
        }
        index.indexed = total;
        if index.pruned_at != now {
            for list in &mut index.of_team {
                self.note_finished(list, now);
                list.retain(|kept| shown_at(kept.done_at, kept.finished, now));
            }
            index.pruned_at = now;
        }
        *self.task_index = index;
    }

    /// Marks the tasks of `list` that finished by tick `now` since they were last read:
    /// only those due by then are looked up (a task finishes on the tick it is due,
    /// `progress_tasks`, never before).
    fn note_finished(&self, list: &mut [TaskSeen], now: u32) {
        for kept in list
            .iter_mut()
            .filter(|kept| !kept.finished && kept.done_at <= now)
        {
            kept.finished = self.task_state(kept.id).is_some_and(|(_, done)| done);
        }
    }

    /// Task `id`'s assignment and whether it finished, if it exists.
    fn task_state(&self, id: TaskId) -> Option<(&Assignment, bool)> {
        self.task_states.get(self.task_ids.get(id)?).ok()
    }
}

/// Names in views: the scenario's, the world's incidents and the injects' current wording.
impl Directory for ViewSource<'_, '_> {
    fn team_name(&self, team: TeamIdx) -> Option<&str> {
        self.scenario().team_name(team)
    }
    fn economy_name(&self, economy: EconomyIdx) -> Option<&str> {
        self.scenario().economy_name(economy)
    }
    fn sector_name(&self, sector: SectorIdx) -> Option<&str> {
        self.scenario().sector_name(sector)
    }
    fn asset_name(&self, asset: AssetIdx) -> Option<std::borrow::Cow<'_, str>> {
        self.scenario().asset_name(asset)
    }
    fn incident_asset(&self, incident: IncidentId) -> Option<AssetIdx> {
        let entity = self.incident_ids.get(incident)?;
        self.incidents.get(entity).ok().map(|i| i.hit.asset)
    }
    fn inject_headline(&self, inject: InjectIdx) -> Option<&str> {
        let entity = self.inject_ids.get(inject)?;
        self.injects
            .get(entity)
            .ok()
            .map(|(_, wording)| wording.headline.as_str())
    }
    fn decision_choice(&self, decision: DecisionIdx, option: u32) -> Option<(&str, &str)> {
        self.scenario().decision_choice(decision, option)
    }
}

/// Finished tasks stay in a team's list this many ticks.
const FINISHED_TASKS_SHOWN_FOR: u32 = 24;

/// Who is looking: the facilitator, or a team of an economy with a role.
#[derive(Clone, Copy)]
struct Viewer {
    actor: Actor,
    team: Option<TeamIdx>,
    economy: Option<EconomyIdx>,
}

impl Viewer {
    /// Team `team` of `scenario` (an unknown index: a team of no economy).
    fn team(scenario: &Scenario, team: TeamIdx) -> Self {
        Viewer {
            actor: Actor::Team(team),
            team: Some(team),
            economy: scenario.teams.get(team.index()).map(|x| x.economy),
        }
    }

    /// The facilitator, who sees everything.
    fn facilitator() -> Self {
        Viewer {
            actor: Actor::Facilitator,
            team: None,
            economy: None,
        }
    }

    fn sees_all(&self) -> bool {
        self.team.is_none()
    }
    fn owns(&self, economy: EconomyIdx) -> bool {
        self.sees_all() || self.economy == Some(economy)
    }
}

/// Who reads a view: people read every word of it; a bot decides from the state alone.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reader {
    Person,
    /// Without what only people read (the briefing, the clock's words, inject and
    /// message texts, objectives, every name, task labels, targets and outcomes,
    /// decision texts, per-sector service) and without other economies' assets: wording
    /// and copying those is most of a view's cost, and a bot builds one per team per
    /// tick.
    Bot,
}

/// The view of `actor` (an unknown team index sees what the facilitator's public
/// directory shows: nothing of any economy beyond public figures).
pub fn build(source: &ViewSource, actor: Actor, window: HistoryWindow, reader: Reader) -> View {
    build_sharing(source, actor, window, reader, None)
}

/// The economies as a viewer that owns none sees them (their public figures): the part
/// of every team's view that is the same for all the teams, worked out once for them
/// all ([`ViewSource::share_public_economies`], [`build_sharing`]).
pub(crate) fn public_economies(
    source: &ViewSource,
    window: HistoryWindow,
    reader: Reader,
) -> Vec<EconomyView> {
    let nobody = Viewer {
        actor: Actor::Team(TeamIdx(u32::MAX)),
        team: Some(TeamIdx(u32::MAX)),
        economy: None,
    };
    economies(source, nobody, window, reader == Reader::Person, None)
}

/// [`build`], with the economies the viewer does not own copied from `public` (their
/// public figures as they are now, for the same window and reader) rather than read
/// again.
pub fn build_sharing(
    source: &ViewSource,
    actor: Actor,
    window: HistoryWindow,
    reader: Reader,
    public: Option<&[EconomyView]>,
) -> View {
    let words = reader == Reader::Person;
    let scenario = source.scenario();
    let viewer = match actor {
        Actor::Facilitator => Viewer::facilitator(),
        Actor::Team(t) => Viewer::team(scenario, t),
    };
    let now = source.measures.clock.tick;
    View {
        viewer: actor,
        title: if words {
            scenario.meta.title.clone()
        } else {
            String::new()
        },
        briefing: if words {
            scenario.meta.briefing.clone()
        } else {
            String::new()
        },
        tick: now,
        duration_ticks: scenario.meta.duration_ticks,
        tick_minutes: scenario.meta.tick_minutes,
        time_label: if words {
            time_label(scenario, now)
        } else {
            String::new()
        },
        my_team: viewer.team,
        teams: team_directory(scenario, words),
        sectors: sector_list(scenario, words),
        economies: economies(source, viewer, window, words, public),
        assets: assets(source, viewer, words),
        incidents: incidents(source, viewer).into_owned(),
        campaigns: campaigns(source, viewer, words),
        tasks: tasks(source, viewer, now, words),
        analysts: analysts(source, viewer, now),
        messages: if words {
            messages(source, viewer)
        } else {
            Vec::new()
        },
        injects: if words {
            injects(source, viewer)
        } else {
            Vec::new()
        },
        objectives: if words {
            objectives(source, viewer)
        } else {
            Vec::new()
        },
        assistance_requests: assistance_requests(source, viewer),
        decisions: decisions(source, viewer, words),
    }
}

/// The directory of every team; ids and names only if `words`.
fn team_directory(scenario: &Scenario, words: bool) -> Vec<TeamInfo> {
    scenario
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| TeamInfo {
            idx: TeamIdx(i as u32),
            id: word(words, &t.id),
            name: word(words, &t.name),
            role: t.role,
            economy: t.economy,
            sectors: t.sectors.clone(),
        })
        .collect()
}

/// Every sector; ids and names only if `words`.
fn sector_list(scenario: &Scenario, words: bool) -> Vec<SectorInfo> {
    scenario
        .sectors
        .iter()
        .enumerate()
        .map(|(i, s)| SectorInfo {
            idx: SectorIdx(i as u32),
            id: word(words, &s.id),
            name: word(words, &s.name),
        })
        .collect()
}

/// What every team's sight of one bot round shares, worked out once per round (they
/// change only when a team submits): the decision points offered so far, every one (each
/// team decides those offered to it), and the analysts on their way to each team.
pub(crate) struct BotRound<'a> {
    decisions: &'a [DecisionView],
    incoming: Vec<u32>,
}

/// [`BotRound`] of the state as `source` reads it now, the decision points as
/// [`ViewSource::share_decisions`] last listed them.
pub(crate) fn bot_round<'a>(source: &'a ViewSource) -> BotRound<'a> {
    BotRound {
        decisions: &source.decisions_kept.list,
        incoming: incoming_analysts(source, source.measures.clock.tick),
    }
}

/// What team `team`'s bot reads: its bot view ([`Reader::Bot`], no history) as a
/// [`Sight`], lending what the source keeps up to date (the directory, the economies'
/// public figures of the tick, the team's kept incidents, its economy's assets as the
/// state has them) instead of copying it. `round` is [`bot_round`] of the same read. On
/// the reference path ([`ViewSource::every_item`]) every part is read
/// afresh, as [`build`] reads it. `sight.to_view()` is the team's bot view (tested).
pub(crate) fn bot_sight<'a>(
    source: &'a ViewSource,
    team: TeamIdx,
    round: &'a BotRound<'a>,
) -> Sight<'a> {
    let scenario = source.scenario();
    let viewer = Viewer::team(scenario, team);
    let now = source.measures.clock.tick;
    let public = source
        .bots_public_economies()
        .filter(|p| p.len() == source.economy_ids.len() && !source.every_item());
    let (economies, own_economy) = match public {
        Some(public) => {
            let own = viewer.economy.and_then(|e| source.bots_own_economy(e));
            (Cow::Borrowed(public), own)
        }
        None => (
            Cow::Owned(economies(
                source,
                viewer,
                HistoryWindow::Omitted,
                false,
                None,
            )),
            None,
        ),
    };
    let own_assets = viewer
        .economy
        .and_then(|e| Some((e, source.fixed.assets_of.get(e.index())?)));
    let assets = match own_assets {
        Some((economy, list)) => SeenAssets::Own(OwnAssets {
            economy,
            list,
            scenario,
            state: &source.measures.assets,
            ledger: &source.measures.ledger,
        }),
        None => SeenAssets::Listed(&[]),
    };
    Sight {
        tick: now,
        duration_ticks: scenario.meta.duration_ticks,
        tick_minutes: scenario.meta.tick_minutes,
        my_team: Some(team),
        teams: &source.fixed.bot_teams,
        police: Some(&source.fixed.police),
        sectors: &source.fixed.bot_sectors,
        economies,
        own_economy,
        assets,
        incidents: incidents(source, viewer),
        campaigns: SeenCampaigns::Read {
            source,
            team,
            read: OnceCell::new(),
        },
        tasks: tasks_seen(source, team, now),
        analysts: analysts_with(
            source,
            viewer,
            round.incoming.get(team.index()).copied().unwrap_or(0),
        ),
        assistance_requests: Cow::Owned(assistance_requests(source, viewer)),
        decisions: Cow::Borrowed(round.decisions),
    }
}

/// Economy `economy` as a bot of its own sees it ([`economy_view`] in full, without
/// words or history): its public figures of the tick from `public` with what only its
/// own teams see (awareness, the loss's breakdown, spam), none of which a team's
/// commands change before the simulation steps.
fn own_economy(
    source: &ViewSource,
    economy: EconomyIdx,
    public: &[EconomyView],
) -> Option<EconomyView> {
    let shared = public.get(economy.index())?;
    let awareness = source
        .awareness
        .get(source.economy_ids.get(economy)?)
        .ok()?;
    let spammed = source
        .scenario()
        .campaigns
        .iter()
        .any(|c| c.kind == crate::scenario::model::CampaignKind::Spam);
    Some(EconomyView {
        visibility: Visibility::Full,
        loss_breakdown: Some(
            source
                .measures
                .ledger
                .breakdown
                .get(economy.index())
                .copied()
                .unwrap_or_default(),
        ),
        spam: spammed
            .then(|| source.measures.spam.seen(economy))
            .flatten(),
        awareness: Some(awareness.0),
        ..shared.clone()
    })
}

/// A team's campaigns as its bot view lists them, read when its bot first asks.
impl CampaignSource for ViewSource<'_, '_> {
    fn campaigns_of(&self, team: TeamIdx) -> Vec<CampaignView> {
        campaigns(self, Viewer::team(self.scenario(), team), false)
    }

    fn campaign_of(&self, team: TeamIdx, campaign: CampaignIdx) -> Option<CampaignSeen<'_>> {
        let viewer = Viewer::team(self.scenario(), team);
        let leads = Leads::of(self, viewer);
        if !leads.known(campaign) {
            return None;
        }
        let entity = self.campaign_ids.get(campaign)?;
        campaign_seen(
            self,
            viewer,
            &leads,
            &traced_by(self, viewer),
            campaign,
            entity,
        )
    }
}

/// Team `team`'s tasks as its bot reads them, in id order, those finished long ago left
/// out: what [`tasks`] lists for it, lent from the [`TaskIndex`] when that is current
/// (as [`ViewSource::keep_up`] leaves it), otherwise read afresh.
fn tasks_seen<'a>(source: &'a ViewSource, team: TeamIdx, now: u32) -> Cow<'a, [TaskSeen]> {
    let total = source.task_ids.len() as u32;
    match source.task_index.current(team, now, total) {
        Some(kept) if !source.every_item() => Cow::Borrowed(kept),
        _ => {
            let viewer = Viewer::team(source.scenario(), team);
            Cow::Owned(shown_tasks(source, viewer, now, |id, task, done| {
                task_seen(id, task, done.is_some())
            }))
        }
    }
}

/// Open requests for analysts to the viewer's economy (the facilitator: all), oldest
/// first: from the open ones indexed ([`RequestIndex`]) and those made since.
fn assistance_requests(source: &ViewSource, viewer: Viewer) -> Vec<AssistanceRequestView> {
    let shown = |id: RequestId| {
        let r = source.requests.get(source.request_ids.get(id)?).ok()?;
        (r.provided < r.analysts && viewer.owns(r.to)).then_some(AssistanceRequestView {
            from_team: r.from_team,
            to: r.to,
            analysts: r.analysts,
            provided: r.provided,
            at: r.at,
        })
    };
    let total = source.request_ids.len() as u32;
    if source.every_item() {
        return (0..total).map(RequestId).filter_map(shown).collect();
    }
    let index = &*source.request_index;
    index
        .open
        .iter()
        .copied()
        .chain((index.indexed..total).map(RequestId))
        .filter_map(shown)
        .collect()
}

/// A scenario's word for people, nothing for a bot (which reads indices only).
fn word(words: bool, text: &str) -> String {
    if words {
        text.to_string()
    } else {
        String::new()
    }
}

/// The decision points offered to the viewer's team (the facilitator: all offered);
/// their titles, texts and options' words only if `words`.
fn decisions(source: &ViewSource, viewer: Viewer, words: bool) -> Vec<DecisionView> {
    let scenario = source.scenario();
    scenario
        .decisions
        .iter()
        .zip(&source.decision_points.0)
        .enumerate()
        .filter_map(|(i, (d, state))| {
            let offered_at = state.offered_at?;
            if let Some(team) = viewer.team
                && !d.teams.contains(&team)
            {
                return None;
            }
            Some(DecisionView {
                idx: DecisionIdx(i as u32),
                id: word(words, &d.id),
                title: word(words, &d.title),
                text: word(words, &d.text),
                teams: d.teams.clone(),
                options: d
                    .options
                    .iter()
                    .map(|o| DecisionOptionView {
                        id: word(words, &o.id),
                        label: word(words, &o.label),
                        text: word(words, &o.text),
                        effects: if words {
                            o.effects
                                .iter()
                                .map(|e| crate::names::effect(scenario, e))
                                .collect()
                        } else {
                            Vec::new()
                        },
                        recommended: o.recommended,
                    })
                    .collect(),
                offered_at,
                deadline_at: d.deadline.map(|t| offered_at.saturating_add(t)),
                default: d.default,
                settled: state.settled.map(|s| SettledView {
                    option: s.option,
                    by: s.by,
                    at: s.at,
                }),
            })
        })
        .collect()
}

/// `Day N HH:MM`, counting from the start label's time of day when it ends in `HH:MM`.
pub fn time_label(scenario: &Scenario, tick: u32) -> String {
    let start = scenario
        .meta
        .start_label
        .as_deref()
        .and_then(start_minutes)
        .unwrap_or(0);
    let minutes = u64::from(start) + u64::from(tick) * u64::from(scenario.meta.tick_minutes);
    let day = minutes / 1440 + 1;
    let in_day = minutes % 1440;
    format!("Day {day} {:02}:{:02}", in_day / 60, in_day % 60)
}

/// Minutes after midnight of a label ending in `HH:MM`.
fn start_minutes(label: &str) -> Option<u32> {
    let time = label.trim().rsplit(' ').next()?;
    let (h, m) = time.split_once(':')?;
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Every economy, the viewer's own in full; names and per-sector service (a pass over
/// every asset) only if `words`: bots read neither. Those the viewer does not own are
/// copied from `public` when given (the same for every viewer of one read).
fn economies(
    source: &ViewSource,
    viewer: Viewer,
    window: HistoryWindow,
    words: bool,
    public: Option<&[EconomyView]>,
) -> Vec<EconomyView> {
    let ledger = &source.measures.ledger;
    let any_full = words && source.economy_ids.iter().any(|(idx, _)| viewer.owns(idx));
    let mut top_assets = if any_full {
        ledger.top_assets(crate::metrics::TOP_ASSETS)
    } else {
        Vec::new()
    };
    let public = public.filter(|p| p.len() == source.economy_ids.len() && !source.every_item());
    let mut shown = Vec::with_capacity(source.economy_ids.len());
    for (idx, entity) in source.economy_ids.iter() {
        let full = viewer.owns(idx);
        if let Some(shared) = public.filter(|_| !full)
            && let Some(seen) = shared.get(idx.index())
        {
            shown.push(seen.clone());
            continue;
        }
        let top = top_assets.get_mut(idx.index()).map(std::mem::take);
        shown.extend(economy_view(
            source,
            idx,
            entity,
            full,
            window,
            words,
            top.unwrap_or_default(),
        ));
    }
    shown
}

/// One economy as a viewer sees it: in full if `full`, otherwise its public figures;
/// names, per-sector figures and `top_assets` only if `words`.
fn economy_view(
    source: &ViewSource,
    idx: EconomyIdx,
    entity: Entity,
    full: bool,
    window: HistoryWindow,
    words: bool,
    top_assets: Vec<crate::economics::AssetLoss>,
) -> Option<EconomyView> {
    let scenario = source.scenario();
    let ledger = &source.measures.ledger;
    let spammed = scenario
        .campaigns
        .iter()
        .any(|c| c.kind == crate::scenario::model::CampaignKind::Spam);
    let e = scenario.economies.get(idx.index())?;
    let record = source.economies.get(entity).ok()?;
    Some(EconomyView {
        idx,
        id: word(words, &e.id),
        name: word(words, &e.name),
        visibility: if full {
            Visibility::Full
        } else {
            Visibility::Public
        },
        trust: record.trust.0,
        loss: record.loss.0,
        output: crate::economics::exercise_output(scenario, Some(idx)),
        loss_breakdown: full.then(|| {
            ledger
                .breakdown
                .get(idx.index())
                .copied()
                .unwrap_or_default()
        }),
        trust_moves: (full && words).then_some(*record.trust_moves),
        spam: (full && spammed)
            .then(|| source.measures.spam.seen(idx))
            .flatten(),
        loss_by_sector: if full && words {
            ledger.sector_losses(idx.index()).to_vec()
        } else {
            Vec::new()
        },
        top_assets: if full && words {
            top_assets
                .into_iter()
                .filter_map(|a| {
                    Some(AssetLossView {
                        asset: a.asset,
                        name: scenario.assets.get(a.asset.index())?.name().into_owned(),
                        loss: a.loss,
                    })
                })
                .collect()
        } else {
            Vec::new()
        },
        service: record.service.0,
        awareness: full.then_some(record.awareness.0),
        readiness: Some(record.pillars.0),
        readiness_moves: (full && words).then_some(*record.readiness_moves),
        sector_service: if full && words {
            sector_service(source, idx)
        } else {
            Vec::new()
        },
        history: window_of(&record.history.0, window),
    })
}

/// The points of one economy's history inside `window` (points are in tick order).
fn window_of(points: &[EconomyPoint], window: HistoryWindow) -> Vec<EconomyPoint> {
    points[points.partition_point(|p| !window.includes(p.tick))..].to_vec()
}

fn sector_service(source: &ViewSource, economy: EconomyIdx) -> Vec<Option<f64>> {
    let assets = &source.measures.assets;
    let sectors = source.scenario().sectors.len();
    let mut sums = vec![0.0; sectors];
    let mut counts = vec![0usize; sectors];
    for i in 0..assets.len() {
        if assets.economy[i] == economy.0 {
            let s = assets.sector[i] as usize;
            sums[s] += assets.service(i);
            counts[s] += 1;
        }
    }
    sums.iter()
        .zip(&counts)
        .map(|(sum, &n)| (n > 0).then(|| sum / n as f64))
        .collect()
}

/// The assets the viewer owns and those they depend on (the facilitator: all). A bot
/// (`words` false) gets its own economy's assets only, without names or dependencies:
/// it acts on nothing else, and listing them is the part of its view that grows with
/// the region.
fn assets(source: &ViewSource, viewer: Viewer, words: bool) -> Vec<AssetView> {
    let scenario = source.scenario();
    if !words && !viewer.sees_all() {
        let Some(own) = viewer
            .economy
            .and_then(|e| source.fixed.assets_of.get(e.index()))
        else {
            return Vec::new();
        };
        let mut shown = Vec::with_capacity(own.len());
        shown.extend(own.iter().filter_map(|&idx| {
            let a = scenario.assets.get(idx.index())?;
            Some(asset_view(source, idx, a, true, false))
        }));
        return shown;
    }
    let mut shown = vec![false; scenario.assets.len()];
    for (i, asset) in scenario.assets.iter().enumerate() {
        if viewer.owns(asset.economy) {
            shown[i] = true;
            for d in asset.depends_on() {
                shown[d.on.index()] = true;
            }
        }
    }
    scenario
        .assets
        .iter()
        .enumerate()
        .filter(|(i, _)| shown[*i])
        .map(|(i, a)| asset_view(source, AssetIdx(i as u32), a, viewer.owns(a.economy), words))
        .collect()
}

/// One asset as a viewer sees it: posture, damage and output at stake only if `own`;
/// names and dependencies only if `words`.
fn asset_view(
    source: &ViewSource,
    idx: AssetIdx,
    a: &crate::scenario::model::Asset,
    own: bool,
    words: bool,
) -> AssetView {
    let scenario = source.scenario();
    let state = &source.measures.assets;
    let i = idx.index();
    AssetView {
        idx,
        id: if words {
            a.id().into_owned()
        } else {
            String::new()
        },
        name: if words {
            a.name().into_owned()
        } else {
            String::new()
        },
        economy: a.economy,
        sector: a.sector,
        operator: a.operator,
        criticality: a.criticality,
        people_served: a.people_served,
        service: state.service(i),
        posture: own.then_some(state.posture[i]),
        depends_on: if words {
            a.depends_on()
                .iter()
                .map(|d| DependencyView {
                    on: d.on,
                    weight: d.weight,
                    kind: d.kind,
                    cross_border: scenario.assets[d.on.index()].economy != a.economy,
                })
                .collect()
        } else {
            Vec::new()
        },
        damage: own.then_some(state.damage[i]),
        at_stake: own.then(|| source.measures.ledger.shares.at_stake(i)),
    }
}

/// Who knew of each incident, when and how: every incident in id order with the
/// economies that learned of it, in the order they learned (the facilitator's record for
/// the debrief; no seat's view carries it whole).
pub fn who_knew(source: &ViewSource) -> Vec<IncidentKnowledge> {
    let mut all: Vec<IncidentKnowledge> = source
        .incidents
        .iter()
        .map(|incident| IncidentKnowledge {
            incident: incident.id.0,
            known: incident.known.0.clone(),
        })
        .collect();
    all.sort_unstable_by_key(|k| k.incident);
    all
}

/// How the viewer knows an incident, if it does, and whether as the one team a
/// restricted label (TLP:AMBER+STRICT, RED) addressed: a view never shows an incident
/// beyond its label's reach.
fn knowledge(incident: &IncidentRecordItem, viewer: Viewer) -> Option<(Source, bool)> {
    if viewer.sees_all() {
        return Some((Source::Own, false));
    }
    let known = incident.known.by_team(viewer.economy?, viewer.team?)?;
    Some((known.source, known.team.is_some()))
}

fn severity(criticality: u8, stage: Stage) -> Severity {
    let score = u32::from(criticality) + u32::from(stage == Stage::Impact);
    match score {
        0..=2 => Severity::Low,
        3 => Severity::Medium,
        4 => Severity::High,
        _ => Severity::Critical,
    }
}

/// What the viewer's economy knows of the campaigns, read once per view rather than
/// once per incident or campaign shown.
struct Leads<'a> {
    /// Campaigns whose indicators the viewer's economy holds (`None`: the facilitator,
    /// who knows every campaign, or an economy without a record).
    held: Option<&'a [bool]>,
    sees_all: bool,
}

impl<'a> Leads<'a> {
    fn of(source: &'a ViewSource, viewer: Viewer) -> Self {
        Leads {
            held: viewer
                .economy
                .and_then(|e| source.economy_ids.get(e))
                .and_then(|e| source.indicators.get(e).ok())
                .map(|held| held.0.as_slice()),
            sees_all: viewer.sees_all(),
        }
    }

    /// Whether the viewer holds the campaign's indicators (the facilitator: always).
    fn known(&self, campaign: CampaignIdx) -> bool {
        self.sees_all
            || self
                .held
                .is_some_and(|held| held.get(campaign.index()).copied().unwrap_or(false))
    }
}

/// The campaigns the viewer's economy traced to their origin, index-aligned with the
/// scenario's: it investigated one of its incidents itself (shared indicators tell
/// where a campaign is hosted, not who runs it). The facilitator traced every one.
fn traced(source: &ViewSource, viewer: Viewer) -> Vec<bool> {
    let campaigns = source.scenario().campaigns.len();
    if viewer.sees_all() {
        return vec![true; campaigns];
    }
    let mut traced = vec![false; campaigns];
    let Some(economy) = viewer.economy else {
        return traced;
    };
    for incident in source.incidents.iter() {
        if incident.hit.economy == economy
            && incident.investigated
            && let Some(t) = traced.get_mut(incident.hit.campaign.index())
        {
            *t = true;
        }
    }
    traced
}

/// The incidents the viewer knows of, in id order: a team's from the lists kept up to
/// date ([`IncidentIndex`]) when they are (lent as they are), otherwise from a pass over
/// every incident.
fn incidents<'a>(source: &'a ViewSource, viewer: Viewer) -> Cow<'a, [IncidentView]> {
    let kept = source
        .incident_index
        .current(source.ticks.this_run())
        .zip(viewer.team)
        .and_then(|(index, t)| index.of_team.get(t.index()));
    match kept {
        Some(kept) => Cow::Borrowed(&kept.views),
        None => Cow::Owned(every_incident(source, viewer)),
    }
}

/// The incidents the viewer knows of, in id order, from a pass over every incident.
fn every_incident(source: &ViewSource, viewer: Viewer) -> Vec<IncidentView> {
    let leads = Leads::of(source, viewer);
    let mut shown: Vec<IncidentView> = source
        .incidents
        .iter()
        .filter_map(|incident| incident_view(source, viewer, &leads, &incident))
        .collect();
    shown.sort_unstable_by_key(|i| i.id);
    shown
}

/// The campaign of an incident and its kind as a viewer knows them: both once its
/// economy holds the campaign's indicators or indicators were addressed to the viewer
/// alone; a hazard's kind always (it strikes openly).
fn named(
    hit: &Hit,
    addressed: bool,
    leads: &Leads,
) -> (
    Option<CampaignIdx>,
    Option<crate::scenario::model::CampaignKind>,
) {
    let identified = addressed || leads.known(hit.campaign);
    (
        identified.then_some(hit.campaign),
        (identified || hit.hazard).then_some(hit.kind),
    )
}

/// One incident as the viewer sees it, if it knows of it.
fn incident_view(
    source: &ViewSource,
    viewer: Viewer,
    leads: &Leads,
    incident: &IncidentRecordItem,
) -> Option<IncidentView> {
    let (source_of_knowledge, addressed) = knowledge(incident, viewer)?;
    let hit = incident.hit;
    let (campaign, kind) = named(hit, addressed, leads);
    let detailed = viewer.sees_all() || incident.investigated && viewer.owns(hit.economy);
    Some(IncidentView {
        id: incident.id.0,
        asset: hit.asset,
        economy: hit.economy,
        campaign,
        kind,
        stage: incident.intrusion.stage,
        severity: severity(
            source
                .scenario()
                .assets
                .get(hit.asset.index())
                .map_or(0, |a| a.criticality),
            incident.intrusion.stage,
        ),
        source: source_of_knowledge,
        started_at: detailed.then_some(incident.intrusion.started_at),
        detected_at: incident.detected_at(),
        contained_at: incident.contained_at(),
        recovered_at: incident.recovered_at(),
        investigated: incident.investigated,
        referred: (viewer.sees_all() || viewer.owns(hit.economy))
            && source.measures.protection.referred(incident.id.0),
        found_by: if viewer.sees_all() || viewer.owns(hit.economy) {
            incident.found_by.copied()
        } else {
            None
        },
    })
}

/// The campaigns the viewer holds indicators of; their names only if `words`.
fn campaigns(source: &ViewSource, viewer: Viewer, words: bool) -> Vec<CampaignView> {
    let scenario = source.scenario();
    let leads = Leads::of(source, viewer);
    let traced_here = traced_by(source, viewer);
    source
        .campaign_ids
        .iter()
        .filter_map(|(idx, entity)| {
            let seen = campaign_seen(source, viewer, &leads, &traced_here, idx, entity)?;
            let c = scenario.campaigns.get(idx.index())?;
            Some(CampaignView {
                idx,
                id: word(words, &c.id),
                name: word(words, &c.name),
                kind: seen.kind,
                actor: if words {
                    scenario
                        .actors
                        .get(c.actor.index())
                        .map_or_else(String::new, |a| a.name.clone())
                } else {
                    String::new()
                },
                active: seen.active,
                origin: seen.origin,
                hosting: seen.hosting.to_vec(),
                taken_down: seen.taken_down.to_vec(),
            })
        })
        .collect()
}

/// Which campaigns the viewer's economy traced ([`traced`]): the index's when it is
/// current, otherwise from a pass over the incidents.
fn traced_by<'a>(source: &'a ViewSource, viewer: Viewer) -> Cow<'a, [bool]> {
    let kept = source
        .incident_index
        .current(source.ticks.this_run())
        .zip(viewer.economy.filter(|_| !viewer.sees_all()))
        .and_then(|(index, e)| index.traced.get(e.index()));
    match kept {
        Some(kept) => Cow::Borrowed(kept),
        None => Cow::Owned(traced(source, viewer)),
    }
}

/// Campaign `idx` (its record `entity`) as the viewer sees it, if it holds its
/// indicators; `traced_here` is [`traced_by`] of the viewer.
fn campaign_seen<'a>(
    source: &'a ViewSource,
    viewer: Viewer,
    leads: &Leads,
    traced_here: &[bool],
    idx: CampaignIdx,
    entity: Entity,
) -> Option<CampaignSeen<'a>> {
    if !leads.known(idx) {
        return None;
    }
    let c = source.scenario().campaigns.get(idx.index())?;
    let (activity, taken_down) = source.campaigns.get(entity).ok()?;
    Some(CampaignSeen {
        idx,
        kind: c.kind,
        active: viewer.sees_all() && activity.active(),
        origin: c
            .origin
            .filter(|_| traced_here.get(idx.index()).copied().unwrap_or(false)),
        hosting: &c.hosting,
        taken_down: &taken_down.0,
    })
}

/// Whether a task is in its team's list at `now`: running, or finished at most
/// [`FINISHED_TASKS_SHOWN_FOR`] ticks ago.
fn still_shown(task: &Assignment, finished: bool, now: u32) -> bool {
    shown_at(task.done_at, finished, now)
}

/// [`still_shown`] of a task that ends at `done_at`.
fn shown_at(done_at: u32, finished: bool, now: u32) -> bool {
    !finished || done_at + FINISHED_TASKS_SHOWN_FOR >= now
}

/// The viewer's tasks (the facilitator: all), in id order, those finished long ago left
/// out; their label and target in words only if `words`. A team's are read from the
/// [`TaskIndex`] and the tasks started since it was brought up to date; the
/// facilitator's from one pass over every task.
fn tasks(source: &ViewSource, viewer: Viewer, now: u32, words: bool) -> Vec<TaskView> {
    let names = Names(source);
    let view = |id: TaskId, task: &Assignment, done: Option<&Done>| {
        let finished = done.is_some();
        TaskView {
            id,
            team: task.team,
            label: if words {
                task.command.label().to_string()
            } else {
                String::new()
            },
            target: if words {
                names.target(&task.command)
            } else {
                String::new()
            },
            analysts: task.analysts,
            started_at: task.started_at,
            done_at: task.done_at,
            progress: task_progress(task.started_at, task.done_at, finished, now),
            finished,
            command: task.command.clone(),
            outcome: done.filter(|_| words).map(|d| d.outcome.clone()),
        }
    };
    shown_tasks(source, viewer, now, view)
}

/// The viewer's tasks (the facilitator: all) as `make` shows them, in id order, those
/// finished long ago left out: a team's read from the [`TaskIndex`] and the tasks
/// started since it was brought up to date, the facilitator's (and every one on the
/// reference path) from one pass over every task, cheaper than a lookup per id.
fn shown_tasks<'a, T>(
    source: &'a ViewSource,
    viewer: Viewer,
    now: u32,
    make: impl Fn(TaskId, &'a Assignment, Option<&'a Done>) -> T,
) -> Vec<T> {
    let Some(team) = viewer.team.filter(|_| !source.every_item()) else {
        let mut shown: Vec<(TaskId, T)> = source
            .tasks
            .iter()
            .filter(|(_, task, done)| {
                (viewer.sees_all() || viewer.team == Some(task.team))
                    && still_shown(task, done.is_some(), now)
            })
            .map(|(&Id(id), task, done)| (id, make(id, task, done)))
            .collect();
        shown.sort_unstable_by_key(|(id, _)| *id);
        return shown.into_iter().map(|(_, t)| t).collect();
    };
    let ids = team_tasks(source, team);
    let mut shown = Vec::with_capacity(ids.size_hint().0);
    shown.extend(ids.filter_map(|id| {
        let (_, task, done) = source.tasks.get(source.task_ids.get(id)?).ok()?;
        (task.team == team && still_shown(task, done.is_some(), now)).then(|| make(id, task, done))
    }));
    shown
}

/// The tasks a team's view may show, in id order: its list in the [`TaskIndex`] and the
/// tasks started since it was brought up to date (any team's: the caller checks).
fn team_tasks<'a>(source: &'a ViewSource, team: TeamIdx) -> impl Iterator<Item = TaskId> + 'a {
    let index = &*source.task_index;
    let indexed = index
        .of_team
        .get(team.index())
        .map_or(&[][..], Vec::as_slice);
    let tail = (index.indexed..source.task_ids.len() as u32).map(TaskId);
    indexed.iter().map(|t| t.id).chain(tail)
}

fn analysts(source: &ViewSource, viewer: Viewer, now: u32) -> AnalystsView {
    let incoming = viewer.team.map_or(0, |team| {
        incoming_analysts(source, now)
            .get(team.index())
            .copied()
            .unwrap_or(0)
    });
    analysts_with(source, viewer, incoming)
}

/// The viewer's analysts, `incoming` of them lent and still on their way.
fn analysts_with(source: &ViewSource, viewer: Viewer, incoming: u32) -> AnalystsView {
    let Some(team) = viewer.team else {
        return AnalystsView::default();
    };
    let Some(state) = source
        .team_ids
        .get(team)
        .and_then(|e| source.teams.get(e).ok())
    else {
        return AnalystsView::default();
    };
    AnalystsView {
        total: state.analysts + state.borrowed,
        busy: state.busy + state.lent,
        lent: state.lent,
        borrowed: state.borrowed,
        incoming,
    }
}

/// Analysts lent to each team (by index) and still on their way at `now` (the
/// assistance delay), from one pass over the tasks under way.
fn incoming_analysts(source: &ViewSource, now: u32) -> Vec<u32> {
    let scenario = source.scenario();
    let mut incoming = vec![0u32; scenario.teams.len()];
    for task in source.open_tasks.iter() {
        if let Command::ProvideAssistance { to, analysts } = task.command
            && let (Some(lender), Some(borrower)) = (
                scenario.teams.get(task.team.index()),
                scenario.teams.get(to.index()),
            )
        {
            let arrives =
                task.started_at + assistance_delay(scenario, lender.economy, borrower.economy);
            if now < arrives
                && let Some(sum) = incoming.get_mut(to.index())
            {
                *sum += analysts;
            }
        }
    }
    incoming
}

/// Messages to or from the viewer, and to everyone, oldest first: a team's from the
/// index ([`MessageIndex`]) and those sent since it was brought up to date.
fn messages(source: &ViewSource, viewer: Viewer) -> Vec<MessageView> {
    if source.scenario().teams.is_empty() && !viewer.sees_all() {
        return Vec::new();
    }
    let sees = |m: &Message| {
        viewer.sees_all()
            || m.from == viewer.actor
            || match m.to {
                Recipient::All => true,
                Recipient::Team(t) => viewer.team == Some(t),
                Recipient::Economy(e) => viewer.economy == Some(e),
                Recipient::Facilitator => false,
            }
    };
    let index = &*source.message_index;
    let indexed: Vec<MessageId> = match viewer.team {
        Some(team) if viewer.actor == Actor::Team(team) => {
            let own = index
                .of_team
                .get(team.index())
                .map_or(&[][..], Vec::as_slice);
            merged(&index.to_all, own)
        }
        _ => (0..index.indexed).map(MessageId).collect(),
    };
    let tail = (index.indexed..source.message_ids.len() as u32).map(MessageId);
    indexed
        .into_iter()
        .chain(tail)
        .filter_map(|id| source.messages.get(source.message_ids.get(id)?).ok())
        .filter(|m| sees(m))
        .map(|m| MessageView {
            tick: m.tick,
            from: m.from,
            to: m.to,
            text: m.text.clone(),
        })
        .collect()
}

/// Two lists of ids in ascending order, merged in ascending order.
fn merged(a: &[MessageId], b: &[MessageId]) -> Vec<MessageId> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].0 <= b[j].0 {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn injects(source: &ViewSource, viewer: Viewer) -> Vec<InjectView> {
    let scenario = source.scenario();
    let mut shown: Vec<InjectView> = source
        .inject_ids
        .iter()
        .filter_map(|(idx, entity)| {
            let inject = scenario.injects.get(idx.index())?;
            let (firing, wording) = source.injects.get(entity).ok()?;
            let delivered = viewer.sees_all()
                || firing.fired_at.is_some()
                    && match &inject.audience {
                        Audience::All => true,
                        Audience::Teams(teams) => viewer.team.is_some_and(|t| teams.contains(&t)),
                        Audience::Facilitator => false,
                    };
            let sees_all = viewer.sees_all();
            delivered.then(|| InjectView {
                idx,
                fired_at: firing.fired_at,
                headline: wording.headline.clone(),
                text: wording.text.clone(),
                sender: inject.msel.sender.clone(),
                channel: inject.msel.channel.map(|c| names::channel(c).to_string()),
                trigger: if sees_all {
                    trigger_words(scenario, &inject.trigger)
                } else {
                    String::new()
                },
                recipients: if sees_all {
                    audience_words(scenario, &inject.audience)
                } else {
                    String::new()
                },
                effects: if sees_all {
                    inject
                        .effects
                        .iter()
                        .map(|e| crate::names::effect(scenario, e))
                        .collect()
                } else {
                    Vec::new()
                },
            })
        })
        .collect();
    // Oldest first: fired ones by firing tick, then pending ones in scenario order.
    shown.sort_by_key(|i| (i.fired_at.is_none(), i.fired_at, i.idx));
    shown
}

/// Who receives an inject, by name.
fn audience_words(scenario: &Scenario, audience: &Audience) -> String {
    match audience {
        Audience::All => "every team".to_string(),
        Audience::Teams(teams) => teams
            .iter()
            .map(|t| Names(scenario).team(*t))
            .collect::<Vec<_>>()
            .join(", "),
        Audience::Facilitator => "the facilitator only".to_string(),
    }
}

fn trigger_words(scenario: &Scenario, trigger: &Trigger) -> String {
    match trigger {
        Trigger::Manual => "manual".into(),
        Trigger::At(t) => format!("at tick {t}"),
        Trigger::When(condition) => format!("when {}", condition_words(scenario, condition)),
        Trigger::After { inject, delay } => format!(
            "{delay} tick(s) after {}",
            scenario
                .injects
                .get(inject.index())
                .map_or("?", |i| i.id.as_str())
        ),
    }
}

fn condition_words(scenario: &Scenario, condition: &Condition) -> String {
    let campaign_id = |c: CampaignIdx| {
        scenario
            .campaigns
            .get(c.index())
            .map_or("?", |x| x.id.as_str())
            .to_string()
    };
    let economy = |e: &EconomyIdx| {
        scenario
            .economies
            .get(e.index())
            .map_or("?", |x| x.id.as_str())
            .to_string()
    };
    match condition {
        Condition::TickAtLeast(t) => format!("tick >= {t}"),
        Condition::ServiceBelow { level, .. } => format!("service below {level}"),
        Condition::TrustBelow { economy: e, value } => {
            format!("trust in {} below {value}", economy(e))
        }
        Condition::LossAbove { economy: e, value } => format!(
            "loss of {} above {value}",
            e.as_ref().map_or("the region".to_string(), economy)
        ),
        Condition::Incidents { count, .. } => format!("{count} incident(s)"),
        Condition::Reached {
            state,
            campaign,
            economy: e,
            count,
            ..
        } => {
            let state = match state {
                IncidentState::Detected => "detected",
                IncidentState::Investigated => "investigated",
                IncidentState::Contained => "contained",
                IncidentState::Recovered => "recovered",
            };
            let of = campaign.map_or(String::new(), |c| format!(" of {}", campaign_id(c)));
            let r#in = e
                .as_ref()
                .map_or(String::new(), |e| format!(" in {}", economy(e)));
            format!("{count} incident(s){of}{in} {state}")
        }
        Condition::Action(action) => action_words(scenario, action),
        Condition::After {
            delay, condition, ..
        } => format!(
            "{delay} tick(s) after ({})",
            condition_words(scenario, condition)
        ),
        Condition::InjectFired(i) => format!(
            "{} fired",
            scenario
                .injects
                .get(i.index())
                .map_or("?", |x| x.id.as_str())
        ),
        Condition::All(all) => join_conditions(scenario, all, " and "),
        Condition::Any(any) => join_conditions(scenario, any, " or "),
        Condition::Not(inner) => format!("not ({})", condition_words(scenario, inner)),
    }
}

/// A condition on players' actions in words, for the facilitator's inject list.
fn action_words(scenario: &Scenario, action: &ActionCondition) -> String {
    let economy = |e: Option<EconomyIdx>| {
        e.and_then(|e| scenario.economies.get(e.index()))
            .map_or("any economy", |x| x.id.as_str())
    };
    let campaign = |c: Option<CampaignIdx>| {
        c.and_then(|c| scenario.campaigns.get(c.index()))
            .map_or("any campaign", |x| x.id.as_str())
    };
    let outcome = |o: LegalOutcome| match o {
        LegalOutcome::Requested => "requested",
        LegalOutcome::Succeeded => "succeeded",
        LegalOutcome::Failed => "failed",
    };
    match *action {
        ActionCondition::Shared {
            campaign: c,
            from,
            to,
            ..
        } => format!(
            "indicators of {} shared by {} with {}",
            campaign(c),
            economy(from),
            economy(to)
        ),
        ActionCondition::Notified {
            campaign: c,
            from,
            to,
        } => format!(
            "{} notified {} of {}",
            economy(from),
            economy(to),
            campaign(c)
        ),
        ActionCondition::AssistanceRequested { from, to } => {
            format!("assistance asked by {} of {}", economy(from), economy(to))
        }
        ActionCondition::AssistanceDelivered { from, to, analysts } => format!(
            "{analysts} analyst(s) lent by {} arrived in {}",
            economy(from),
            economy(to)
        ),
        ActionCondition::LegalAction {
            campaign: c,
            by,
            outcome: o,
        } => format!(
            "legal action by {} against {} {}",
            economy(by),
            campaign(c),
            outcome(o)
        ),
        ActionCondition::Mla {
            campaign: c,
            from,
            to,
            outcome: o,
        } => format!(
            "legal assistance from {} to {} against {} {}",
            economy(from),
            economy(to),
            campaign(c),
            outcome(o)
        ),
        ActionCondition::Takedown { campaign: c, host } => {
            format!("{} taken down in {}", campaign(c), economy(host))
        }
        ActionCondition::Decision {
            decision, option, ..
        } => {
            let d = scenario.decisions.get(decision.index());
            let option = option
                .and_then(|o| d.and_then(|d| d.options.get(o as usize)))
                .map_or("any option", |o| o.id.as_str());
            format!("{} decided: {option}", d.map_or("?", |d| d.id.as_str()))
        }
    }
}

fn join_conditions(scenario: &Scenario, list: &[Condition], sep: &str) -> String {
    list.iter()
        .map(|c| format!("({})", condition_words(scenario, c)))
        .collect::<Vec<_>>()
        .join(sep)
}

fn objectives(source: &ViewSource, viewer: Viewer) -> Vec<ObjectiveView> {
    let scenario = source.scenario();
    scenario
        .objectives
        .iter()
        .enumerate()
        .filter(|(_, o)| match o.scope {
            ObjectiveScope::Region => true,
            ObjectiveScope::Team(t) => viewer.sees_all() || viewer.team == Some(t),
        })
        .map(|(i, o)| ObjectiveView {
            id: o.id.clone(),
            description: o.description.clone(),
            scope: o.scope,
            weight: o.weight,
            score: source.measures.goal_score(i, &o.goal),
            measure: source.fixed.measures.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}

/// What an objective's percentage measures (the formulas of `docs/model.md`,
/// "Objectives and metrics"), by name.
fn goal_words(scenario: &Scenario, goal: &Goal) -> String {
    let names = Names(scenario);
    let place = |economy: &Option<EconomyIdx>| {
        economy.map_or_else(|| "the region".to_string(), |e| names.economy(e))
    };
    let campaign = |c: &Option<CampaignIdx>| {
        c.and_then(|c| scenario.campaigns.get(c.index()))
            .map_or_else(String::new, |c| format!(" of {}", c.name))
    };
    let within = |what: &str, campaign_name: String, economy: &Option<EconomyIdx>, ticks: u32| {
        let at = economy.map_or_else(String::new, |e| format!(" in {}", names.economy(e)));
        format!(
            "share of incidents{campaign_name}{at} {what} within {ticks} tick(s) of starting \
             (incidents still inside that window are not counted yet)"
        )
    };
    match goal {
        Goal::ServiceAtLeast {
            economy,
            sector,
            level,
        } => {
            let service = match sector {
                Some(s) => format!("{}'s {} service", place(economy), names.sector(*s)),
                None => format!("{}'s mean service", place(economy)),
            };
            format!(
                "share of ticks so far on which {service} was at or above {:.0}%",
                level * 100.0
            )
        }
        Goal::TrustAtLeast { economy, level } => format!(
            "100% while public trust in {} is at least {level:.0} (of 100); below, trust / {level:.0}",
            names.economy(*economy)
        ),
        Goal::LossAtMost { economy, amount } => format!(
            "100% while the loss of {} is at most {}; above, {} / the loss",
            place(economy),
            crate::money::in_context(
                *amount,
                crate::economics::exercise_output(scenario, *economy),
                &place(economy)
            ),
            crate::money::short(*amount)
        ),
        Goal::DetectWithin {
            campaign: c,
            economy,
            ticks,
        } => within("detected", campaign(c), economy, *ticks),
        Goal::ContainWithin {
            campaign: c,
            economy,
            ticks,
        } => within("contained", campaign(c), economy, *ticks),
        Goal::ChildrenSafeguarded { economy, share } => format!(
            "100% while at least {:.0}% of the children harmful content reached in {} were \
             safeguarded (referred to a hotline or the police, or the content taken down); \
             below, the share safeguarded / {:.0}%",
            share * 100.0,
            place(economy),
            share * 100.0
        ),
        Goal::ChildrenExposedAtMost { economy, count } => format!(
            "100% while harmful content reached at most {count:.0} children in {}; above, \
             {count:.0} / the children reached",
            place(economy)
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::Simulation;
    use crate::command::{Actor, Command};
    use crate::scenario::model::DecisionIdx;
    use crate::view::View;

    fn sight_of(sim: &Simulation, team: crate::scenario::model::TeamIdx) -> View {
        match sim.first_bot_move([team], |sight| Some(sight.to_view())) {
            Some((_, view)) => view,
            None => panic!("team {team:?} has no sight"),
        }
    }

    /// The decision points bots read are kept from one read to the next: a decision a
    /// team settles in a round shows settled in the sights of the teams after it.
    #[test]
    fn a_decision_settled_in_a_round_shows_settled_in_later_sights() {
        let scenario = match crate::scenario::parse(crate::scenario::bundled::APEC_REGIONAL) {
            Ok(checked) => checked.scenario,
            Err(diagnostics) => panic!("apec-regional does not load: {diagnostics:?}"),
        };
        let Some((at, shared)) = scenario
            .decisions
            .iter()
            .enumerate()
            .find(|(_, d)| d.teams.len() >= 2)
        else {
            panic!("apec-regional offers no decision to two teams");
        };
        let decision = DecisionIdx(at as u32);
        let (first, second) = (shared.teams[0], shared.teams[1]);
        let mut sim = Simulation::new(scenario.clone(), 0);
        let open = |view: &View| {
            view.decisions
                .iter()
                .any(|d| d.idx == decision && d.is_open())
        };
        while !open(&sight_of(&sim, second)) {
            assert!(!sim.is_finished(), "the decision was never offered");
            sim.step();
        }
        let decided = sim.submit(
            Actor::Team(first),
            Command::Decide {
                decision,
                option: 0,
            },
        );
        assert!(decided.is_ok(), "{decided:?}");
        let after = sight_of(&sim, second);
        assert!(!open(&after), "the decision still shows open");
        assert_eq!(after, sim.bot_view(second));
    }
}
