//! The host's own bots: they play the team seats nobody holds (`play`, `serve --bots`).
//!
//! A bot decides from its team's view with the engine's policy, as a `cyberdrill bot`
//! process would. Where a person holds a team seat of the same economy, the people come
//! first: for [`HUMAN_FIRST_TICKS`] ticks after an incident of their economy is detected,
//! bots leave it alone, so that the people's investigate or contain is not refused as a
//! duplicate of a bot's; and when a bot does take such an incident, it says so in the
//! economy's channel, so that nobody's work is done silently (FORUM: "a bot of their own
//! economy silently doing their job" is what players must never experience).

use std::collections::BTreeSet;

use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::{Actor, Command, IncidentId, Recipient};
use cyberdrill_engine::policy::{self, Policy};
use cyberdrill_engine::scenario::model::{EconomyIdx, TeamIdx};
use cyberdrill_engine::view::{HistoryWindow, View};

/// Ticks after its detection during which an incident of an economy with people at a
/// seat is left to them.
pub const HUMAN_FIRST_TICKS: u32 = 2;

/// A bot's move: the command, and the announcement to send if it is accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub command: Command,
    pub announce: Option<Command>,
}

/// What `team`'s bot does now. `people_at`: economies where a person holds a team seat.
pub fn moves(
    sim: &Simulation,
    team: TeamIdx,
    policy: Policy,
    people_at: &BTreeSet<EconomyIdx>,
) -> Vec<Move> {
    if policy == Policy::Idle {
        return Vec::new();
    }
    let view = sim.view_with(Actor::Team(team), HistoryWindow::Omitted);
    policy::decide(policy, &view)
        .into_iter()
        .filter_map(|command| {
            let Some(incident) = command.incident() else {
                return Some(Move {
                    command,
                    announce: None,
                });
            };
            let known = view.incidents.iter().find(|i| i.id == incident)?;
            if !people_at.contains(&known.economy) {
                return Some(Move {
                    command,
                    announce: None,
                });
            }
            let detected = known.detected_at.unwrap_or(view.tick);
            if view.tick.saturating_sub(detected) < HUMAN_FIRST_TICKS {
                return None;
            }
            let announce = announcement(&view, team, &command, incident, known.economy);
            Some(Move {
                command,
                announce: Some(announce),
            })
        })
        .collect()
}

/// The message a bot sends its economy when it takes an incident the people there could
/// have taken: `NorCERT (bot): we take "contain" on incident #4 (Hospital of Norvale).`
fn announcement(
    view: &View,
    team: TeamIdx,
    command: &Command,
    incident: IncidentId,
    economy: EconomyIdx,
) -> Command {
    let me = view
        .teams
        .get(team.index())
        .map_or_else(|| format!("team #{}", team.0), |t| t.name.clone());
    let asset = view
        .incidents
        .iter()
        .find(|i| i.id == incident)
        .and_then(|i| view.assets.iter().find(|a| a.idx == i.asset))
        .map(|a| format!(" ({})", a.name))
        .unwrap_or_default();
    Command::Message {
        to: Recipient::Economy(economy),
        text: format!(
            "{me} (bot): we take \"{}\" on incident #{}{asset}; nobody at our seat yet.",
            command.label(),
            incident.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::policy::play_round;
    use cyberdrill_engine::testkit::two_economies;

    /// A simulation stepped until team 0's bot wants to act on an incident.
    fn with_an_incident_to_take() -> (Simulation, TeamIdx, EconomyIdx) {
        let mut sim = Simulation::new(two_economies(), 11);
        let team = TeamIdx(0);
        for _ in 0..40 {
            let wanted = moves(&sim, team, Policy::Cooperative, &BTreeSet::new());
            if wanted.iter().any(|m| m.command.incident().is_some()) {
                let economy = sim.scenario().teams[0].economy;
                return (sim, team, economy);
            }
            play_round(&mut sim, Policy::Idle);
            sim.step();
        }
        panic!("no incident for team 0 in 40 ticks");
    }

    #[test]
    fn bots_leave_a_fresh_incident_of_an_economy_with_people_to_them() {
        let (sim, team, economy) = with_an_incident_to_take();
        let alone = moves(&sim, team, Policy::Cooperative, &BTreeSet::new());
        let people = BTreeSet::from([economy]);
        let with_people = moves(&sim, team, Policy::Cooperative, &people);
        let on_incidents =
            |ms: &[Move]| ms.iter().filter(|m| m.command.incident().is_some()).count();
        assert!(on_incidents(&alone) > 0);
        let view = sim.view(Actor::Team(team));
        let fresh = view
            .incidents
            .iter()
            .filter(|i| {
                i.economy == economy
                    && view.tick.saturating_sub(i.detected_at.unwrap_or(view.tick))
                        < HUMAN_FIRST_TICKS
            })
            .count();
        assert!(fresh > 0, "the incident the bot wanted is fresh");
        assert!(on_incidents(&with_people) < on_incidents(&alone));
        assert!(alone.iter().all(|m| m.announce.is_none()));
    }

    #[test]
    fn after_the_grace_a_bot_takes_the_incident_and_says_so_in_the_economy_channel() {
        let (mut sim, team, economy) = with_an_incident_to_take();
        let people = BTreeSet::from([economy]);
        for _ in 0..HUMAN_FIRST_TICKS {
            sim.step();
        }
        let taken: Vec<Move> = moves(&sim, team, Policy::Cooperative, &people)
            .into_iter()
            .filter(|m| m.command.incident().is_some())
            .collect();
        assert!(!taken.is_empty(), "the grace is over");
        for m in taken {
            let Some(Command::Message { to, text }) = m.announce else {
                panic!("no announcement for {:?}", m.command);
            };
            assert_eq!(to, Recipient::Economy(economy));
            assert!(text.contains("(bot): we take"), "{text}");
            assert!(text.contains(m.command.label()), "{text}");
        }
    }
}
