//! The facade: the only door between the simulation and its callers (terminal UI,
//! server, headless runs). It owns the bevy_ecs `World` and the tick `Schedule`; the
//! world never leaks out. Commands are validated here once, views and metrics are built
//! here from the state.

pub mod error;
mod hash;
pub mod rules;
mod view;

use std::collections::BTreeSet;
use std::sync::Arc;

use bevy_ecs::prelude::*;

pub use error::CommandError;
pub use hash::StateHash;

use crate::command::{Actor, Arg, Command, Reach, Recipient, TaskId};
use crate::metrics::{Metrics, ObjectiveScore, Snapshot};
use crate::rng::SimRng;
use crate::scenario::model::{EconomyIdx, Posture, Scenario, TeamIdx};
use crate::systems::tick_schedule;
use crate::view::{HistoryWindow, View};
use crate::world::{
    Assets, AssistanceRequests, Campaigns, Clock, Deliveries, Economies, EconomyState, History,
    Incidents, InjectState, Injects, Message, Messages, NO_INCIDENT, Progress, Rng, ScenarioData,
    Task, Tasks, TeamState, Teams,
};
use rules::Door;

/// Minutes in a year, for loss per tick.
const MINUTES_PER_YEAR: f64 = 365.0 * 24.0 * 60.0;

/// What an accepted command became.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Accepted {
    /// The task it started, for actions that take time.
    pub task: Option<TaskId>,
    /// What happens next, in words.
    pub message: String,
}

/// A running exercise: the scenario, its seeded world and the tick schedule.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    scenario: Arc<Scenario>,
    seed: u64,
}

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
    /// A world at tick 0 for `scenario`, drawing all randomness from `seed`.
    pub fn new(scenario: Scenario, seed: u64) -> Self {
        let scenario = Arc::new(scenario);
        let mut world = World::new();
        insert_initial_state(&mut world, &scenario, seed);
        let mut schedule = tick_schedule();
        if let Err(err) = schedule.initialize(&mut world) {
            // The schedule is fixed in code; a build error is a bug caught by the tests.
            panic!("the tick schedule does not build: {err:?}");
        }
        Self {
            world,
            schedule,
            scenario,
            seed,
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
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
            self.schedule.run(&mut self.world);
        }
    }

    /// Validates a command and, if accepted, starts it (or applies it, for messages and
    /// facilitator actions).
    pub fn submit(&mut self, actor: Actor, command: Command) -> Result<Accepted, CommandError> {
        if self.is_finished() {
            return Err(CommandError::Finished {
                tick: self.tick(),
                duration: self.scenario.meta.duration_ticks,
            });
        }
        match actor {
            Actor::Facilitator => {
                self.door().check_facilitator(&command)?;
                Ok(self.apply_facilitator(command))
            }
            Actor::Team(team) => {
                let plan = self.door().check_team(team, &command)?;
                let now = self.tick();
                if let Command::Message { to, text } = command {
                    self.world.resource_mut::<Messages>().0.push(Message {
                        tick: now,
                        from: actor,
                        to,
                        text,
                    });
                    return Ok(Accepted {
                        task: None,
                        message: "message sent".into(),
                    });
                }
                let label = command.label();
                let id = TaskId(self.world.resource::<Tasks>().0.len() as u32);
                self.reserve_analysts(team, &command, &plan);
                let done_at = now + plan.ticks;
                self.world.resource_mut::<Tasks>().0.push(Task {
                    id,
                    team,
                    command,
                    analysts: plan.analysts,
                    started_at: now,
                    done_at,
                    finished: false,
                    outcome: None,
                });
                Ok(Accepted {
                    task: Some(id),
                    message: format!(
                        "{label} ({}): {}, done at tick {done_at}",
                        plan.target,
                        crate::names::analysts(plan.analysts)
                    ),
                })
            }
        }
    }

    fn reserve_analysts(&mut self, team: TeamIdx, command: &Command, plan: &rules::Plan) {
        let lender_economy = self.scenario.teams[team.index()].economy;
        let mut teams = self.world.resource_mut::<Teams>();
        if let Command::ProvideAssistance { to, analysts } = command {
            // The lender's analysts leave at once; they join the borrower on arrival
            // (`progress_tasks`), at once only when there is no delay.
            teams.0[team.index()].lent += analysts;
            let borrower_economy = self.scenario.teams[to.index()].economy;
            if rules::assistance_delay(&self.scenario, lender_economy, borrower_economy) == 0 {
                teams.0[to.index()].borrowed += analysts;
            }
            let mut requests = self.world.resource_mut::<AssistanceRequests>();
            if let Some(request) = requests
                .0
                .iter_mut()
                .find(|r| r.from_team == *to && r.to == lender_economy && r.provided < r.analysts)
            {
                request.provided += analysts;
            }
        } else {
            teams.0[team.index()].busy += plan.analysts;
        }
    }

    fn apply_facilitator(&mut self, command: Command) -> Accepted {
        let now = self.tick();
        match command {
            Command::FireInject { inject } => {
                let mut injects = self.world.resource_mut::<Injects>();
                let state = &mut injects.0[inject.index()];
                state.queued = true;
                state.fired_at = Some(now);
                Accepted {
                    task: None,
                    message: format!(
                        "inject fired: {}; its effects apply in the next tick",
                        state.headline
                    ),
                }
            }
            Command::EditInject {
                inject,
                headline,
                text,
            } => {
                let mut injects = self.world.resource_mut::<Injects>();
                let state = &mut injects.0[inject.index()];
                state.headline = headline;
                state.text = text;
                Accepted {
                    task: None,
                    message: "inject edited".into(),
                }
            }
            Command::Broadcast { text } => {
                self.world.resource_mut::<Messages>().0.push(Message {
                    tick: now,
                    from: Actor::Facilitator,
                    to: Recipient::All,
                    text,
                });
                Accepted {
                    task: None,
                    message: "broadcast sent".into(),
                }
            }
            other => Accepted {
                task: None,
                message: format!("{} ignored", other.label()),
            },
        }
    }

    fn door(&self) -> Door<'_> {
        Door {
            scenario: &self.scenario,
            clock: self.world.resource::<Clock>(),
            assets: self.world.resource::<Assets>(),
            incidents: self.world.resource::<Incidents>(),
            teams: self.world.resource::<Teams>(),
            tasks: self.world.resource::<Tasks>(),
            injects: self.world.resource::<Injects>(),
        }
    }

    fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            scenario: &self.scenario,
            clock: self.world.resource::<Clock>(),
            assets: self.world.resource::<Assets>(),
            economies: self.world.resource::<Economies>(),
            incidents: self.world.resource::<Incidents>(),
            injects: self.world.resource::<Injects>(),
            progress: self.world.resource::<Progress>(),
        }
    }

    /// What `viewer` may know now, with every economy's full history.
    pub fn view(&self, viewer: Actor) -> View {
        self.view_with(viewer, HistoryWindow::Full)
    }

    /// What `viewer` may know now, with only the history inside `window`: a server
    /// sends each client only the points it does not have yet, a bot needs none.
    pub fn view_with(&self, viewer: Actor, window: HistoryWindow) -> View {
        view::build(&self.world, &self.scenario, viewer, window)
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

    /// Hash of the canonical encoding of the whole state.
    pub fn state_hash(&self) -> StateHash {
        hash::state_hash(&self.world, self.seed)
    }

    /// Headline figures so far.
    pub fn metrics(&self) -> Metrics {
        self.snapshot().metrics()
    }

    /// Every objective's score so far, in scenario order.
    pub fn objective_scores(&self) -> Vec<ObjectiveScore> {
        self.snapshot().objective_scores()
    }
}

/// Builds every resource from the checked scenario.
fn insert_initial_state(world: &mut World, scenario: &Arc<Scenario>, seed: u64) {
    let campaigns = scenario.campaigns.len();
    world.insert_resource(ScenarioData(Arc::clone(scenario)));
    world.insert_resource(Clock::default());
    world.insert_resource(Rng(SimRng::new(seed)));
    world.insert_resource(initial_assets(scenario));
    let economies: Vec<EconomyState> = scenario
        .economies
        .iter()
        .map(|e| EconomyState {
            trust: f64::from(e.trust),
            awareness: f64::from(e.awareness),
            loss: 0.0,
            readiness: e.readiness,
            service: 1.0,
            knows_campaign: vec![false; campaigns],
            disrupted: vec![false; campaigns],
        })
        .collect();
    world.insert_resource(History(vec![Vec::new(); economies.len()]));
    world.insert_resource(Economies(economies));
    world.insert_resource(Campaigns(vec![Default::default(); campaigns]));
    world.insert_resource(Incidents::default());
    world.insert_resource(Teams(
        scenario
            .teams
            .iter()
            .map(|t| TeamState {
                analysts: t.analysts,
                ..Default::default()
            })
            .collect(),
    ));
    world.insert_resource(Tasks::default());
    world.insert_resource(Deliveries::default());
    world.insert_resource(Messages::default());
    world.insert_resource(AssistanceRequests::default());
    world.insert_resource(Injects(
        scenario
            .injects
            .iter()
            .map(|i| InjectState {
                fired_at: None,
                headline: i.headline.clone(),
                text: i.text.clone(),
                queued: false,
            })
            .collect(),
    ));
    world.insert_resource(Progress {
        objective_ok_ticks: vec![0; scenario.objectives.len()],
        service_sum: 0.0,
        service_now: 1.0,
    });
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
        for dependency in &asset.depends_on {
            dep_on.push(dependency.on.0);
            dep_weight.push(dependency.weight);
        }
        dep_start.push(dep_on.len() as u32);
    }
    Assets {
        economy: scenario.assets.iter().map(|a| a.economy.0).collect(),
        sector: scenario.assets.iter().map(|a| a.sector.0).collect(),
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
    }
}

#[cfg(test)]
mod tests;
