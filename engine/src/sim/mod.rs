//! The facade: the only door between the simulation and its callers (terminal UI,
//! server, headless runs). It owns the bevy_ecs `World` and the tick's systems; the
//! world never leaks out. Commands are validated here once, views and metrics are built
//! here from the state.

mod accepted;
pub mod error;
mod hash;
pub mod rules;
mod view;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bevy_ecs::prelude::*;
use bevy_ecs::system::{RunSystemOnce, SystemState};

pub use accepted::Accepted;
pub use error::CommandError;
pub use hash::{HashVersion, StateHash};

use crate::active::ActiveSet;
use crate::command::IncidentId;
use crate::command::{Actor, Arg, Command, Reach, Recipient, TaskId};
use crate::decisions::{DecisionPoints, DecisionRun, RansomPolicies, Settlement};
use crate::economics::Ledger;
use crate::metrics::{Measures, Metrics, ObjectiveScore};
use crate::notifications::Notifications;
use crate::outcomes::{Achieved, CampaignRun, InjectFired, Outcome, Outcomes, Watches};
use crate::partners::PartnerTrust;
use crate::protection::ChildProtection;
use crate::readiness::ReadinessMoves;
use crate::rng::SimRng;
use crate::scenario::model::{
    CampaignIdx, DecisionIdx, EconomyIdx, InjectIdx, LegalOutcome, Posture, Scenario, TeamIdx,
};
use crate::spam::Spam;
use crate::systems::repair_hazards::Crews;
use crate::systems::{TickSystems, fire_injects::fire_opening_injects};
use crate::trust::TrustMoves;
use crate::view::{EconomyView, HistoryWindow, IncidentKnowledge, Sight, View};
use crate::world::{
    Activity, Assets, Assignment, AssistanceRequest, Awareness, Clock, DeliveryId, Disrupted,
    Firing, History, Hit, Ids, Indicators, Loss, Message, MessageId, NO_INCIDENT, Pillars,
    Progress, RequestId, Rng, ScenarioData, Service, Staff, TakenDown, Trust, Wording, spawn_now,
};
use rules::Door;

/// Minutes in a year, for loss per tick.
const MINUTES_PER_YEAR: f64 = 365.0 * 24.0 * 60.0;

/// A running exercise: the scenario, its seeded world and the tick's systems.
pub struct Simulation {
    world: World,
    systems: TickSystems,
    scenario: Arc<Scenario>,
    seed: u64,
    /// The definition [`Simulation::state_hash`] computes: the current one, or the one
    /// a replayed journal recorded its hashes with.
    hash_version: HashVersion,
    /// The read-only system parameters the facade reads the world through. Behind a
    /// lock only so that views, metrics and the hash can be read through `&self`: a
    /// `SystemState` caches its queries' archetypes and needs `&mut` to refresh them.
    reads: Mutex<Reads>,
}

/// The facade's read-only views of the world.
struct Reads {
    door: SystemState<Door<'static, 'static>>,
    measures: SystemState<Measures<'static, 'static>>,
    view: SystemState<view::ViewSource<'static, 'static>>,
    state: SystemState<hash::StateParts<'static, 'static>>,
    /// Encodings and running digests the hash reuses from one tick to the next.
    hash: hash::HashCache,
}

impl Reads {
    fn new(world: &mut World) -> Self {
        Self {
            door: SystemState::new(world),
            measures: SystemState::new(world),
            view: SystemState::new(world),
            state: SystemState::new(world),
            hash: hash::HashCache::default(),
        }
    }
}

/// Every resource the facade's reads need is inserted by [`Simulation::new`], so a
/// failed read is a bug in this module.
const RESOURCES_INSERTED: &str = "Simulation::new inserts every resource the facade reads";

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("scenario", &self.scenario.meta.id)
            .field("seed", &self.seed)
            .field("tick", &self.tick())
            .finish()
    }
}

impl Simulation {
    /// A world at tick 0 for `scenario`, drawing all randomness from `seed`, with the
    /// injects due at tick 0 fired (players read the opening story before the first tick).
    pub fn new(scenario: Scenario, seed: u64) -> Self {
        Self::shared(Arc::new(scenario), seed)
    }

    /// [`Simulation::new`] on a scenario that other runs share: a batch plays thousands
    /// of seeds of one scenario without copying it for each.
    pub fn shared(scenario: Arc<Scenario>, seed: u64) -> Self {
        let mut world = World::new();
        insert_initial_state(&mut world, &scenario, seed);
        let systems = TickSystems::new(&mut world);
        if let Err(err) = world.run_system_once(fire_opening_injects) {
            // Its parameters are the tick's own, inserted above: a failure is a bug.
            panic!("the opening injects cannot fire: {err:?}");
        }
        let reads = Mutex::new(Reads::new(&mut world));
        Self {
            world,
            systems,
            scenario,
            seed,
            hash_version: HashVersion::CURRENT,
            reads,
        }
    }

    fn reads(&self) -> MutexGuard<'_, Reads> {
        self.reads.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Draws the rest of the exercise's randomness from `seed`'s stream: a "what if"
    /// branch (`cyberdrill branch`) meets other luck from here on. The state hash then
    /// covers the new seed.
    pub fn reseed(&mut self, seed: u64) {
        self.world.insert_resource(Rng(SimRng::new(seed)));
        self.seed = seed;
    }

    /// The definition of the state hash this simulation computes.
    pub fn hash_version(&self) -> HashVersion {
        self.hash_version
    }

    /// Computes the state hash by `version` from now on: a journal recorded with an
    /// earlier definition is verified, and continued, with that definition
    /// ([`crate::replay::start`]). New exercises use [`HashVersion::CURRENT`].
    pub fn set_hash_version(&mut self, version: HashVersion) {
        self.hash_version = version;
    }

    /// Ticks completed, 0 at the start.
    pub fn tick(&self) -> u32 {
        self.world.resource::<Clock>().tick
    }

    /// The exercise has run its length.
    pub fn is_finished(&self) -> bool {
        self.tick() >= self.scenario.meta.duration_ticks
    }

    /// Runs one tick; a no-op once finished.
    pub fn step(&mut self) {
        if !self.is_finished() {
            self.systems.run(&mut self.world);
        }
    }

    /// Makes the per-asset passes (cascade, service, loss) visit every asset every tick
    /// (`true`) rather than only the assets whose inputs changed (the default). The
    /// state is the same bit for bit either way: this is the reference the tests and
    /// the benchmarks compare with ([`crate::active`]). Views then also read every task,
    /// incident and request, and build every economy for each team, instead of what
    /// they keep up to date between reads and share within one.
    pub fn visit_every_asset(&mut self, visit_all: bool) {
        self.world
            .resource_mut::<Assets>()
            .active
            .set_visit_all(visit_all);
    }

    /// Validates a command and, if accepted, starts it (or applies it, for messages and
    /// facilitator actions).
    pub fn submit(&mut self, actor: Actor, command: Command) -> Result<Accepted, CommandError> {
        // Read once: the clock does not move during a submission.
        let now = self.tick();
        let duration = self.scenario.meta.duration_ticks;
        if now >= duration {
            return Err(CommandError::Finished {
                tick: now,
                duration,
            });
        }
        match actor {
            Actor::Facilitator => {
                self.with_door(|door| door.check_facilitator(&command))?;
                Ok(self.apply_facilitator(command))
            }
            Actor::Team(team) => {
                let plan = self.with_door(|door| door.check_team(team, &command))?;
                if let Command::Message { to, text } = command {
                    spawn_now::<MessageId>(
                        &mut self.world,
                        Message {
                            tick: now,
                            from: actor,
                            to,
                            text,
                        },
                    );
                    return Ok(Accepted::said(None, "message sent"));
                }
                if let Command::Decide { decision, option } = command {
                    return Ok(self.settle(team, decision, option));
                }
                if let Some(request) = self.legal_request(team, &command) {
                    self.world.resource_mut::<Outcomes>().record(now, request);
                }
                self.reserve_analysts(team, &command, &plan);
                let done_at = now + plan.ticks;
                let words = accepted::TaskWords {
                    scenario: Arc::clone(&self.scenario),
                    command: command.clone(),
                    incident_asset: plan.incident_asset,
                    analysts: plan.analysts,
                    done_at,
                    arrives: plan.arrives,
                };
                let id: TaskId = spawn_now(
                    &mut self.world,
                    Assignment {
                        team,
                        command,
                        analysts: plan.analysts,
                        started_at: now,
                        done_at,
                    },
                );
                Ok(Accepted::started(id, words))
            }
        }
    }

    /// Settles a decision point on a team's choice (checked at the door): recorded now,
    /// its effects applied at the start of the next tick (`offer_decisions`).
    fn settle(&mut self, team: TeamIdx, decision: DecisionIdx, option: u32) -> Accepted {
        let now = self.tick();
        if let Some(state) = self
            .world
            .resource_mut::<DecisionPoints>()
            .get_mut(decision)
        {
            state.settled = Some(Settlement {
                option,
                by: Some(team),
                at: now,
                applied: false,
            });
        }
        self.world.resource_mut::<Outcomes>().record(
            now,
            Achieved::Decided {
                decision,
                option,
                by: Some(team),
            },
        );
        let choice = crate::names::Names(self.scenario.as_ref()).choice(decision, option);
        Accepted::said(
            None,
            format!("decided: {choice}; its effects apply in the next tick"),
        )
    }

    /// The record of a legal request a team just made (legal action at home, mutual
    /// legal assistance abroad): "requested" holds from acceptance, before the outcome.
    fn legal_request(&self, team: TeamIdx, command: &Command) -> Option<Achieved> {
        let by = self.scenario.teams.get(team.index())?.economy;
        let campaign = |incident: IncidentId| {
            let entity = self.world.resource::<Ids<IncidentId>>().get(incident)?;
            self.world.get::<Hit>(entity).map(|hit| hit.campaign)
        };
        match *command {
            Command::LegalAction { incident } => Some(Achieved::LegalAction {
                campaign: campaign(incident)?,
                by,
                outcome: LegalOutcome::Requested,
            }),
            Command::MutualLegalAssistance { incident, to } => Some(Achieved::Mla {
                campaign: campaign(incident)?,
                from: by,
                to,
                outcome: LegalOutcome::Requested,
            }),
            _ => None,
        }
    }

    /// Checks a command at the door (a read of the world).
    fn with_door<T>(
        &mut self,
        check: impl FnOnce(&Door) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let reads = self.reads.get_mut().unwrap_or_else(PoisonError::into_inner);
        let door = reads.door.get(&self.world).expect(RESOURCES_INSERTED);
        check(&door)
    }

    /// The analysts an accepted command takes: busy at home, or lent (they leave at
    /// once and join the borrower on arrival, `arrive_lent_analysts`; at once only when
    /// there is no delay), answering the borrower's oldest open request to this economy.
    fn reserve_analysts(&mut self, team: TeamIdx, command: &Command, plan: &rules::Plan) {
        let lender_economy = self.scenario.teams[team.index()].economy;
        if let Command::ProvideAssistance { to, analysts } = command {
            self.staff(team, |s| s.lent += analysts);
            let borrower_economy = self.scenario.teams[to.index()].economy;
            if rules::assistance_delay(&self.scenario, lender_economy, borrower_economy) == 0 {
                self.staff(*to, |s| s.borrowed += analysts);
                let now = self.tick();
                self.world.resource_mut::<Outcomes>().record(
                    now,
                    Achieved::AssistanceDelivered {
                        from: lender_economy,
                        to: borrower_economy,
                        analysts: *analysts,
                    },
                );
            }
            let requests: Vec<Entity> = self
                .world
                .resource::<Ids<RequestId>>()
                .iter()
                .map(|(_, e)| e)
                .collect();
            for entity in requests {
                if let Some(mut request) = self.world.get_mut::<AssistanceRequest>(entity)
                    && request.from_team == *to
                    && request.to == lender_economy
                    && request.provided < request.analysts
                {
                    request.provided += analysts;
                    break;
                }
            }
        } else {
            self.staff(team, |s| s.busy += plan.analysts);
        }
    }

    fn staff(&mut self, team: TeamIdx, change: impl FnOnce(&mut Staff)) {
        if let Some(entity) = self.world.resource::<Ids<TeamIdx>>().get(team)
            && let Some(mut staff) = self.world.get_mut::<Staff>(entity)
        {
            change(&mut staff);
        }
    }

    fn apply_facilitator(&mut self, command: Command) -> Accepted {
        let now = self.tick();
        let inject_entity =
            |world: &World, inject: InjectIdx| world.resource::<Ids<InjectIdx>>().get(inject);
        match command {
            Command::FireInject { inject } => {
                let entity = inject_entity(&self.world, inject);
                if let Some(mut firing) = entity.and_then(|e| self.world.get_mut::<Firing>(e)) {
                    firing.queued = true;
                    firing.fired_at = Some(now);
                }
                let headline = entity
                    .and_then(|e| self.world.get::<Wording>(e))
                    .map(|w| w.headline.clone())
                    .unwrap_or_default();
                Accepted::said(
                    None,
                    format!("inject fired: {headline}; its effects apply in the next tick"),
                )
            }
            Command::EditInject {
                inject,
                headline,
                text,
            } => {
                if let Some(mut wording) = inject_entity(&self.world, inject)
                    .and_then(|e| self.world.get_mut::<Wording>(e))
                {
                    wording.headline = headline;
                    wording.text = text;
                }
                Accepted::said(None, "inject edited")
            }
            Command::Broadcast { text } => {
                spawn_now::<MessageId>(
                    &mut self.world,
                    Message {
                        tick: now,
                        from: Actor::Facilitator,
                        to: Recipient::All,
                        text,
                    },
                );
                Accepted::said(None, "broadcast sent")
            }
            other => Accepted::said(None, format!("{} ignored", other.label())),
        }
    }

    /// What `viewer` may know now, with every economy's full history.
    pub fn view(&self, viewer: Actor) -> View {
        self.view_with(viewer, HistoryWindow::Full)
    }

    /// What `viewer` may know now, with only the history inside `window`: a server
    /// sends each client only the points it does not have yet, a bot needs none.
    pub fn view_with(&self, viewer: Actor, window: HistoryWindow) -> View {
        let mut reads = self.reads();
        let mut source = reads.view.get(&self.world).expect(RESOURCES_INSERTED);
        source.keep_up();
        view::build(&source, viewer, window, view::Reader::Person)
    }

    /// Every economy's public figures as people see them, with the history inside
    /// `window`: the part of every team's view that is the same for all the teams. A
    /// server sending many seats their views at once works it out once and builds each
    /// view with [`Simulation::view_sharing`].
    pub fn public_economies(&self, window: HistoryWindow) -> Vec<EconomyView> {
        let mut reads = self.reads();
        let mut source = reads.view.get(&self.world).expect(RESOURCES_INSERTED);
        source.keep_up();
        view::public_economies(&source, window, view::Reader::Person)
    }

    /// [`Simulation::view_with`], with the economies `viewer` does not own copied from
    /// `public` ([`Simulation::public_economies`] of the same state and `window`)
    /// instead of read again: the same view (tested), for a fraction of the work when
    /// many seats are sent theirs at once.
    pub fn view_sharing(
        &self,
        viewer: Actor,
        window: HistoryWindow,
        public: &[EconomyView],
    ) -> View {
        let mut reads = self.reads();
        let mut source = reads.view.get(&self.world).expect(RESOURCES_INSERTED);
        source.keep_up();
        view::build_sharing(&source, viewer, window, view::Reader::Person, Some(public))
    }

    /// What `team`'s bot decides from: the team's view without history, without the
    /// words only people read (briefing, clock, inject and message texts, objectives,
    /// names, task labels, targets and outcomes, decision texts, per-sector service)
    /// and with its own economy's assets only. Bots decide the same from it as from the
    /// full view (tested); building it costs a fraction, and bots build one per team
    /// per tick.
    pub fn bot_view(&self, team: TeamIdx) -> View {
        let mut reads = self.reads();
        let mut source = reads.view.get(&self.world).expect(RESOURCES_INSERTED);
        source.keep_up();
        source.share_public_economies();
        view::build_sharing(
            &source,
            Actor::Team(team),
            HistoryWindow::Omitted,
            view::Reader::Bot,
            source.bots_public_economies(),
        )
    }

    /// The first of `teams`, in the order given, for which `decide` (reading the team's
    /// bot view, [`Simulation::bot_view`], as a [`Sight`]) returns something, with what it
    /// returned. Every sight is read through one borrow of the world: a bot round changes
    /// the world only when a team submits, so the teams before it that did nothing see
    /// exactly what one view each would show them, without the world's reads being set up
    /// again per team. A sight lends what the reads keep up to date (the directory, the
    /// economies' public figures of the tick, the team's incidents, its assets as the
    /// state has them) instead of copying it into a view per team.
    pub fn first_bot_move<T>(
        &self,
        teams: impl IntoIterator<Item = TeamIdx>,
        mut decide: impl FnMut(&Sight) -> Option<T>,
    ) -> Option<(TeamIdx, T)> {
        let mut reads = self.reads();
        let mut source = reads.view.get(&self.world).expect(RESOURCES_INSERTED);
        source.keep_up();
        // Other economies' public figures are the same in every bot's view of a tick.
        source.share_public_economies();
        // So are the decision points offered and the analysts on their way, until a
        // team submits; the decision points are listed again only when one was offered
        // or settled.
        source.share_decisions();
        let round = view::bot_round(&source);
        teams.into_iter().find_map(|team| {
            let sight = view::bot_sight(&source, team, &round);
            decide(&sight).map(|found| (team, found))
        })
    }

    /// Who knew of each incident, when and how (own detection, or indicators shared
    /// under a TLP label), every incident in id order: what the after-action report's
    /// "who knew what, when" is drawn from.
    pub fn knowledge(&self) -> Vec<IncidentKnowledge> {
        let mut reads = self.reads();
        let mut source = reads.view.get(&self.world).expect(RESOURCES_INSERTED);
        // Every read keeps what views keep up to date (the next view builds on it).
        source.keep_up();
        view::who_knew(&source)
    }

    /// The seats whose view an accepted `command` changes at once besides its sender's:
    /// the facilitator (who sees everything) always, every team for the facilitator's
    /// actions, and the teams a command names (a message's recipients, the economies
    /// indicators are shared with or assistance is asked from, the team analysts are
    /// lent to). Other commands change only the sender's economy until the next tick.
    /// A server sends these seats a fresh view.
    pub fn audience(&self, command: &Command) -> BTreeSet<Actor> {
        let teams = &self.scenario.teams;
        let all = || (0..teams.len() as u32).map(|t| Actor::Team(TeamIdx(t)));
        let of = |economies: &[EconomyIdx]| {
            teams
                .iter()
                .enumerate()
                .filter(|(_, t)| economies.contains(&t.economy))
                .map(|(i, _)| Actor::Team(TeamIdx(i as u32)))
                .collect::<Vec<_>>()
        };
        let mut seats = BTreeSet::from([Actor::Facilitator]);
        match command.kind().spec().reach {
            Reach::Sender => {}
            Reach::Everyone => seats.extend(all()),
            Reach::Named => {
                for (_, arg) in command.args() {
                    match arg {
                        Arg::Economy(e) => seats.extend(of(&[e])),
                        Arg::Economies(list) => seats.extend(of(&list)),
                        Arg::Team(t) | Arg::Recipient(Recipient::Team(t)) => {
                            seats.insert(Actor::Team(t));
                        }
                        Arg::Recipient(Recipient::Economy(e)) => seats.extend(of(&[e])),
                        Arg::Recipient(Recipient::All) => seats.extend(all()),
                        _ => {}
                    }
                }
            }
        }
        seats
    }

    /// Hash of the canonical encoding of the whole state, by [`Self::hash_version`].
    pub fn state_hash(&self) -> StateHash {
        let mut reads = self.reads();
        let Reads { state, hash, .. } = &mut *reads;
        let parts = state.get(&self.world).expect(RESOURCES_INSERTED);
        hash::state_hash(&parts, self.seed, self.hash_version, hash)
    }

    /// Headline figures so far.
    pub fn metrics(&self) -> Metrics {
        let mut reads = self.reads();
        let measures = reads.measures.get(&self.world).expect(RESOURCES_INSERTED);
        measures.metrics()
    }

    /// The injects fired so far, in scenario order.
    pub fn injects_fired(&self) -> Vec<InjectFired> {
        let ids = self.world.resource::<Ids<InjectIdx>>();
        self.scenario
            .injects
            .iter()
            .zip(ids.iter())
            .filter_map(|(inject, (_, entity))| {
                let fired = self.world.get::<Firing>(entity)?.fired_at?;
                Some(InjectFired {
                    id: inject.id.clone(),
                    tick: fired,
                })
            })
            .collect()
    }

    /// Every campaign's run so far (started or not), in scenario order.
    pub fn campaign_runs(&self) -> Vec<CampaignRun> {
        let ids = self.world.resource::<Ids<CampaignIdx>>();
        self.scenario
            .campaigns
            .iter()
            .zip(ids.iter())
            .map(|(campaign, (_, entity))| {
                let activity = self
                    .world
                    .get::<Activity>(entity)
                    .copied()
                    .unwrap_or_default();
                CampaignRun {
                    id: campaign.id.clone(),
                    started_at: activity.started_at,
                    stopped_at: activity.stopped_at,
                    stopped_by: activity.stopped_by,
                }
            })
            .collect()
    }

    /// Every decision point's progress, in scenario order.
    pub fn decision_points(&self) -> &DecisionPoints {
        self.world.resource::<DecisionPoints>()
    }

    /// Every decision point's run so far, in scenario order.
    pub fn decision_runs(&self) -> Vec<DecisionRun> {
        let points = self.world.resource::<DecisionPoints>();
        self.scenario
            .decisions
            .iter()
            .zip(&points.0)
            .map(|(d, state)| {
                let settled = state.settled;
                DecisionRun {
                    id: d.id.clone(),
                    offered_at: state.offered_at,
                    option: settled
                        .and_then(|s| d.options.get(s.option as usize))
                        .map(|o| o.id.clone()),
                    by: settled
                        .and_then(|s| s.by)
                        .and_then(|t| self.scenario.teams.get(t.index()))
                        .map(|t| t.id.clone()),
                    settled_at: settled.map(|s| s.at),
                }
            })
            .collect()
    }

    /// The ransom policies decided so far, oldest first.
    pub fn ransom_policies(&self) -> &RansomPolicies {
        self.world.resource::<RansomPolicies>()
    }

    /// What players' actions achieved so far, oldest first.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.world.resource::<Outcomes>().0
    }

    /// Every objective's score so far, in scenario order.
    pub fn objective_scores(&self) -> Vec<ObjectiveScore> {
        let mut reads = self.reads();
        let measures = reads.measures.get(&self.world).expect(RESOURCES_INSERTED);
        measures.objective_scores()
    }
}

/// Builds the world at tick 0 from the checked scenario: the resources, and one entity
/// per economy, team, campaign and inject, in scenario order (so their ids are their
/// scenario indices).
pub(crate) fn insert_initial_state(world: &mut World, scenario: &Arc<Scenario>, seed: u64) {
    let campaigns = scenario.campaigns.len();
    world.insert_resource(ScenarioData(Arc::clone(scenario)));
    world.insert_resource(Clock::default());
    world.insert_resource(Rng(SimRng::new(seed)));
    world.insert_resource(initial_assets(scenario));
    world.insert_resource(Ledger::new(scenario));
    world.insert_resource(Crews(vec![0.0; scenario.assets.len()]));
    world.insert_resource(ChildProtection::default());
    world.insert_resource(Spam::new(scenario));
    world.insert_resource(Outcomes::keeping(crate::outcomes::action_conditions(
        scenario,
    )));
    world.insert_resource(DecisionPoints::new(scenario.decisions.len()));
    world.insert_resource(RansomPolicies::default());
    world.insert_resource(Notifications::default());
    world.insert_resource(Watches(vec![None; scenario.watches as usize]));
    world.insert_resource(Progress {
        objective_ok_ticks: vec![0; scenario.objectives.len()],
        service_sum: 0.0,
        service_now: 1.0,
    });
    world.init_resource::<Ids<EconomyIdx>>();
    world.init_resource::<Ids<TeamIdx>>();
    world.init_resource::<Ids<CampaignIdx>>();
    world.init_resource::<Ids<InjectIdx>>();
    world.init_resource::<Ids<IncidentId>>();
    world.init_resource::<Ids<TaskId>>();
    world.init_resource::<Ids<DeliveryId>>();
    world.init_resource::<Ids<MessageId>>();
    world.init_resource::<Ids<RequestId>>();
    for economy in &scenario.economies {
        spawn_now::<EconomyIdx>(
            world,
            (
                Trust(f64::from(economy.trust)),
                TrustMoves::default(),
                Awareness(f64::from(economy.awareness)),
                Loss(0.0),
                Service(1.0),
                Pillars(economy.readiness),
                ReadinessMoves::default(),
                Indicators(vec![false; campaigns]),
                Disrupted(vec![false; campaigns]),
                History::default(),
                PartnerTrust::new(scenario.economies.len()),
            ),
        );
    }
    for team in &scenario.teams {
        spawn_now::<TeamIdx>(
            world,
            Staff {
                analysts: team.analysts,
                ..Staff::default()
            },
        );
    }
    for _ in &scenario.campaigns {
        spawn_now::<CampaignIdx>(world, (Activity::default(), TakenDown::default()));
    }
    for inject in &scenario.injects {
        spawn_now::<InjectIdx>(
            world,
            (
                Wording {
                    headline: inject.headline.clone(),
                    text: inject.text.clone(),
                },
                Firing::default(),
            ),
        );
    }
}

/// Per-asset arrays and the dependency graph in compressed sparse rows.
fn initial_assets(scenario: &Scenario) -> Assets {
    let n = scenario.assets.len();
    let ticks_per_year = MINUTES_PER_YEAR / f64::from(scenario.meta.tick_minutes.max(1));
    let mut dep_start = Vec::with_capacity(n + 1);
    let mut dep_on = Vec::new();
    let mut dep_weight = Vec::new();
    dep_start.push(0u32);
    for asset in &scenario.assets {
        for dependency in asset.depends_on() {
            dep_on.push(dependency.on.0);
            dep_weight.push(dependency.weight);
        }
        dep_start.push(dep_on.len() as u32);
    }
    let economy: Vec<u32> = scenario.assets.iter().map(|a| a.economy.0).collect();
    let sector: Vec<u32> = scenario.assets.iter().map(|a| a.sector.0).collect();
    let mut active = ActiveSet::new(&dep_start, &dep_on, &economy, scenario.economies.len());
    active.watch_sectors(
        &crate::metrics::watched_sectors(scenario),
        &sector,
        scenario.economies.len(),
    );
    Assets {
        economy,
        sector,
        posture: scenario
            .assets
            .iter()
            .map(|a| a.posture)
            .collect::<Vec<Posture>>(),
        resilience: scenario.assets.iter().map(|a| a.resilience).collect(),
        dep_start,
        dep_on,
        dep_weight,
        inoperability: vec![0.0; n],
        damage: vec![0.0; n],
        loss_per_tick: scenario
            .assets
            .iter()
            .map(|a| {
                let gdp = scenario.economies[a.economy.index()].gdp_per_capita;
                a.people_served as f64 * gdp * f64::from(a.criticality) / 3.0 / ticks_per_year
            })
            .collect(),
        open_incident: vec![NO_INCIDENT; n],
        scratch: Vec::with_capacity(n),
        active,
    }
}

#[cfg(test)]
mod active_tests;
#[cfg(test)]
mod decision_tests;
#[cfg(test)]
mod notify_tests;
#[cfg(test)]
mod outcome_tests;
#[cfg(test)]
mod protection_tests;
#[cfg(test)]
mod readiness_tests;
#[cfg(test)]
mod spam_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tlp_tests;
