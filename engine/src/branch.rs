//! What-if branches of a journaled exercise (`cyberdrill branch`): replay the journal to
//! a tick, change one thing (the policy the teams play from there on, a team that does
//! nothing, a command never issued), and play the rest out to the journal's last tick.
//!
//! Counterfactual replay (Pearl's "abduction, action, prediction" in *Causality*, 2009,
//! ch. 7, done by simulation): the recorded world up to the branch point is the
//! evidence, the change is the intervention, and the rest is played many times on other
//! random streams, so that what the change did can be told apart from luck. Run 0 keeps
//! the recorded random stream: a branch at tick 0 with the recorded bots and no change is
//! the recorded run itself. Run k > 0 draws everything after the branch point from seed
//! `seed + k`. Same journal, same counterfactual, same run number: same outcome.

use serde::{Deserialize, Serialize};

use crate::command::{Actor, Command, CommandKind};
use crate::journal::{Journal, Record};
use crate::policy::{Policy, bot_commands};
use crate::replay::{self, ReplayError};
use crate::scenario::model::TeamIdx;
use crate::{Metrics, ObjectiveScore, Simulation};

/// The change a branch makes to the recorded exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterfactual {
    /// The branch point: the recorded exercise up to this tick, before the commands
    /// issued at it.
    pub at: u32,
    /// How the bots play every team from the branch point on.
    pub policy: Policy,
    /// Teams that do nothing: their recorded commands before the branch point are
    /// dropped, and no bot plays them after it.
    pub without_teams: Vec<TeamIdx>,
    /// Journal records (numbered from 1 after the header, as `replay` and the report
    /// number them) of commands that were never issued; each must be a command recorded
    /// before the branch point.
    pub without_commands: Vec<usize>,
    /// Moves the bots never make after the branch point (the record before it is changed
    /// only by `without_teams` and `without_commands`): without this, a bot would make a
    /// left-out move again a tick later.
    pub never: Vec<Never>,
}

impl Counterfactual {
    /// The exercise as recorded up to `at`, then the bots under `policy` with nothing left
    /// out: the baseline other counterfactuals are written against (`..bots_from(at, p)`).
    pub fn bots_from(at: u32, policy: Policy) -> Self {
        Self {
            at,
            policy,
            without_teams: Vec::new(),
            without_commands: Vec::new(),
            never: Vec::new(),
        }
    }
}

/// A move the teams never make in a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Never {
    /// No command of this kind, by any team ("had nobody shared indicators").
    Kind(CommandKind),
    /// This very command by this team ("had TamCERT not contained incident 14").
    Command(TeamIdx, Command),
}

impl Never {
    /// Whether the rule forbids `actor` issuing `command` (the facilitator's commands are
    /// never forbidden: they are the exercise, not a move).
    pub fn forbids(&self, actor: Actor, command: &Command) -> bool {
        let Actor::Team(team) = actor else {
            return false;
        };
        match self {
            Never::Kind(kind) => command.kind() == *kind,
            Never::Command(who, what) => *who == team && what == command,
        }
    }
}

/// Why a branch cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum BranchError {
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error(
        "--at {at} is past the end of the journal (its last tick is {last}): branch at a tick \
         from 0 to {last}"
    )]
    PastTheEnd { at: u32, last: u32 },
    #[error(
        "--without-command {record}: the journal has no record {record} (it has {records}); \
         `cyberdrill report JOURNAL` lists the commands with their record numbers"
    )]
    NoSuchRecord { record: usize, records: usize },
    #[error(
        "--without-command {record}: record {record} is {what}, not a command; give the \
         number of a command record"
    )]
    NotACommand { record: usize, what: &'static str },
    #[error(
        "--without-command {record}: that command was issued at tick {tick}, at or after the \
         branch point {at}, where the bots play anyway; branch at a later tick (--at {after})"
    )]
    AfterTheBranch {
        record: usize,
        tick: u32,
        at: u32,
        after: u32,
    },
}

/// The figures a branch compares: the outcome of one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Cumulative economic loss of the region, US dollars.
    pub loss: f64,
    /// Regional mean service level over the ticks played, 0-1.
    pub service: f64,
    /// Lowest public trust among the economies at the end, 0-100.
    pub trust: f64,
    /// Incidents (compromises and hazard strikes).
    pub incidents: u32,
    /// Objectives attained, weighted by their weights, 0-1.
    pub objectives: f64,
}

impl Figures {
    /// The figures of `simulation` as it stands.
    pub fn of(simulation: &Simulation) -> Figures {
        let metrics: Metrics = simulation.metrics();
        Figures {
            loss: metrics.regional_loss,
            service: metrics.mean_availability,
            trust: metrics.min_trust,
            incidents: metrics.incidents,
            objectives: attainment(&simulation.objective_scores()),
        }
    }
}

/// The objectives' scores averaged by weight (1 when there are none to meet).
fn attainment(scores: &[ObjectiveScore]) -> f64 {
    let weight: f64 = scores.iter().map(|s| s.weight).sum();
    if weight <= 0.0 {
        return 1.0;
    }
    scores.iter().map(|s| s.weight * s.score).sum::<f64>() / weight
}

/// The recorded outcome: the whole journal replayed.
pub fn actual(journal: &Journal) -> Result<Figures, BranchError> {
    Ok(Figures::of(&replay::replay(journal, false)?.simulation))
}

/// Checks the counterfactual against the journal (every error before any run).
pub fn check(journal: &Journal, change: &Counterfactual) -> Result<(), BranchError> {
    let last = journal.last_tick();
    if change.at > last {
        return Err(BranchError::PastTheEnd {
            at: change.at,
            last,
        });
    }
    for &record in &change.without_commands {
        if let Record::Command { tick, .. } = command_record(journal, record)?
            && *tick >= change.at
        {
            return Err(BranchError::AfterTheBranch {
                record,
                tick: *tick,
                at: change.at,
                after: tick + 1,
            });
        }
    }
    Ok(())
}

fn not_a_command(record: usize, what: &'static str) -> BranchError {
    BranchError::NotACommand { record, what }
}

/// The recorded exercise at the branch point, with the change applied to what came
/// before it, and how many recorded commands the changed history no longer allowed
/// (they are skipped: without an earlier command, a later one may have no target).
pub fn branch_point(
    journal: &Journal,
    change: &Counterfactual,
) -> Result<(Simulation, usize), BranchError> {
    check(journal, change)?;
    let mut simulation = replay::start(journal)?;
    let changed = !change.without_commands.is_empty() || !change.without_teams.is_empty();
    let mut skipped = 0;
    for (index, record) in journal.records.iter().enumerate() {
        let record_no = index + 1;
        match record {
            Record::Command { tick, .. } if *tick >= change.at => break,
            Record::Step { tick, .. } if *tick > change.at => break,
            Record::Command { actor, command, .. } if changed => {
                let dropped = change.without_commands.contains(&record_no)
                    || matches!(actor, Actor::Team(t) if change.without_teams.contains(t));
                if !dropped && simulation.submit(*actor, command.clone()).is_err() {
                    skipped += 1;
                }
            }
            other => replay::apply(&mut simulation, other, record_no)?,
        }
    }
    Ok((simulation, skipped))
}

/// Run `run` of the branch: from the branch point, the bots play every team but those
/// left out, tick after tick, to the journal's last tick. Run 0 keeps the recorded
/// random stream; run k > 0 draws from seed `seed + k` from the branch point on.
pub fn play(journal: &Journal, change: &Counterfactual, run: u64) -> Result<Figures, BranchError> {
    let (mut simulation, _) = branch_point(journal, change)?;
    if run > 0 {
        simulation.reseed(journal.header.seed.wrapping_add(run));
    }
    let end = journal.last_tick();
    let teams = simulation.scenario().teams.len();
    while simulation.tick() < end && !simulation.is_finished() {
        for t in 0..teams {
            let team = TeamIdx(t as u32);
            if change.without_teams.contains(&team) || change.policy == Policy::Idle {
                continue;
            }
            let actor = Actor::Team(team);
            for command in bot_commands(&simulation, team, change.policy) {
                if change.never.iter().any(|n| n.forbids(actor, &command)) {
                    continue;
                }
                let _refused = simulation.submit(actor, command);
            }
        }
        simulation.step();
    }
    Ok(Figures::of(&simulation))
}

/// The journal's record `record` (numbered from 1), if it is a command.
fn command_record(journal: &Journal, record: usize) -> Result<&Record, BranchError> {
    let Some(found) = record.checked_sub(1).and_then(|i| journal.records.get(i)) else {
        return Err(BranchError::NoSuchRecord {
            record,
            records: journal.records.len(),
        });
    };
    match found {
        Record::Command { .. } => Ok(found),
        Record::Step { .. } => Err(not_a_command(record, "a step of the clock")),
        Record::Session { .. } => Err(not_a_command(record, "a session event")),
        Record::Closed { .. } => Err(not_a_command(record, "the closing record")),
    }
}

/// Each figure's `p`-th percentile over `runs` (nearest rank, as `batch` reports them).
pub fn spread(runs: &[Figures], p: f64) -> Figures {
    let of = |get: &dyn Fn(&Figures) -> f64| {
        let mut values: Vec<f64> = runs.iter().map(get).collect();
        values.sort_by(f64::total_cmp);
        nearest_rank(&values, p)
    };
    Figures {
        loss: of(&|f| f.loss),
        service: of(&|f| f.service),
        trust: of(&|f| f.trust),
        incidents: of(&|f| f64::from(f.incidents)) as u32,
        objectives: of(&|f| f.objectives),
    }
}

/// The nearest-rank percentile of sorted values (NaN when there are none).
fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Header, JournalWriter, read_journal};
    use crate::policy::play_until;
    use crate::replay::Recorder;
    use crate::scenario::{self, bundled};

    /// A bot run of the tutorial journaled as `run --journal` writes it.
    fn recorded(policy: Policy, seed: u64) -> Journal {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let text = bundled::TUTORIAL;
        let scenario = scenario::parse(text).expect("bundled").scenario;
        let header = Header::new("tutorial", text, seed, "test");
        let writer = JournalWriter::create(&path, &header).expect("journal");
        let mut recorder = Recorder::new(Simulation::new(scenario, seed), writer);
        play_until(&mut recorder, policy, u32::MAX).expect("plays");
        read_journal(&path).expect("reads")
    }

    fn change(at: u32, policy: Policy) -> Counterfactual {
        Counterfactual::bots_from(at, policy)
    }

    #[test]
    fn a_branch_at_tick_0_with_the_recorded_policy_is_the_recorded_run() {
        let journal = recorded(Policy::Cooperative, 11);
        let actual = actual(&journal).expect("replays");
        for at in [0, 7] {
            let same = play(&journal, &change(at, Policy::Cooperative), 0).expect("branches");
            assert_eq!(same, actual, "at {at}");
        }
        let other_luck = (1..6)
            .map(|run| play(&journal, &change(0, Policy::Cooperative), run).expect("branches"))
            .filter(|figures| *figures != actual)
            .count();
        assert!(other_luck > 0, "reseeded runs all came out the same");
    }

    #[test]
    fn same_inputs_same_outcomes_and_the_change_shows() {
        let journal = recorded(Policy::Cooperative, 5);
        let idle = change(4, Policy::Idle);
        let first: Vec<Figures> = (0..4)
            .map(|run| play(&journal, &idle, run).expect("branches"))
            .collect();
        let again: Vec<Figures> = (0..4)
            .map(|run| play(&journal, &idle, run).expect("branches"))
            .collect();
        assert_eq!(first, again);
        let actual = actual(&journal).expect("replays");
        assert!(
            first.iter().all(|f| f.loss >= actual.loss),
            "idle teams from tick 4 lost less than cooperative ones: {first:?} vs {actual:?}"
        );
    }

    #[test]
    fn leaving_out_a_command_or_a_team_changes_the_history_before_the_branch() {
        let journal = recorded(Policy::Cooperative, 5);
        let (first, tick) = journal
            .records
            .iter()
            .enumerate()
            .find_map(|(i, r)| match r {
                Record::Command { tick, .. } => Some((i + 1, *tick)),
                _ => None,
            })
            .expect("the bots issued commands");
        let mut without = change(tick + 3, Policy::Cooperative);
        let (recorded_point, _) = branch_point(&journal, &without).expect("branches");
        without.without_commands = vec![first];
        let (changed_point, _) = branch_point(&journal, &without).expect("branches");
        assert_ne!(recorded_point.state_hash(), changed_point.state_hash());

        let mut late = change(tick, Policy::Cooperative);
        late.without_commands = vec![first];
        assert!(matches!(
            check(&journal, &late),
            Err(BranchError::AfterTheBranch { .. })
        ));
        let step = journal
            .records
            .iter()
            .position(|r| matches!(r, Record::Step { .. }))
            .expect("a step")
            + 1;
        late.without_commands = vec![step];
        late.at = journal.last_tick();
        assert!(matches!(
            check(&journal, &late),
            Err(BranchError::NotACommand { .. })
        ));
        late.at = journal.last_tick() + 1;
        assert!(matches!(
            check(&journal, &late),
            Err(BranchError::PastTheEnd { .. })
        ));

        let mut no_team = change(0, Policy::Cooperative);
        no_team.without_teams = vec![TeamIdx(0)];
        let without_team = play(&journal, &no_team, 0).expect("branches");
        assert_ne!(without_team, actual(&journal).expect("replays"));
    }

    #[test]
    fn the_bots_never_make_a_forbidden_move_and_never_containing_costs_more() {
        let journal = recorded(Policy::Cooperative, 5);
        let contains: Vec<(TeamIdx, Command)> = journal
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Command {
                    actor: Actor::Team(team),
                    command: command @ Command::Contain { .. },
                    ..
                } => Some((*team, command.clone())),
                _ => None,
            })
            .collect();
        let (team, command) = contains.first().expect("the bots contained an incident");
        let rule = Never::Command(*team, command.clone());
        assert!(rule.forbids(Actor::Team(*team), command));
        assert!(!rule.forbids(Actor::Facilitator, command));
        assert!(Never::Kind(CommandKind::Contain).forbids(Actor::Team(*team), command));

        let runs = |change: &Counterfactual| -> Vec<Figures> {
            (0..9)
                .map(|run| play(&journal, change, run).expect("branches"))
                .collect()
        };
        let baseline = runs(&change(0, Policy::Cooperative));
        let mut no_containment = change(0, Policy::Cooperative);
        no_containment.never = vec![Never::Kind(CommandKind::Contain)];
        let without = runs(&no_containment);
        assert_eq!(without, runs(&no_containment), "same inputs, same outcomes");
        assert!(
            spread(&without, 50.0).loss > spread(&baseline, 50.0).loss,
            "never containing lost no more: {without:?} vs {baseline:?}"
        );
    }

    #[test]
    fn spread_takes_nearest_rank_percentiles_of_each_figure() {
        let runs: Vec<Figures> = (1..=20)
            .map(|i| Figures {
                loss: f64::from(i) * 100.0,
                service: 1.0 - f64::from(i) / 100.0,
                trust: f64::from(i),
                incidents: i,
                objectives: 0.5,
            })
            .collect();
        let p50 = spread(&runs, 50.0);
        assert_eq!((p50.loss, p50.incidents), (1000.0, 10));
        assert_eq!(spread(&runs, 5.0).loss, 100.0);
        assert_eq!(spread(&runs, 95.0).trust, 19.0);
        assert!(spread(&[], 50.0).loss.is_nan());
    }
}
