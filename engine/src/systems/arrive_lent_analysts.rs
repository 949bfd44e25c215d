//! Assistance across borders: analysts lent by a team leave it at once (when the loan is
//! accepted) and join the borrowing team once the assistance delay has run: none at
//! home, the shortest assistance agreement covering both economies, else the scenario's
//! `assistance_delay_without_agreement`. Agreed procedures and points of contact
//! arranged in advance are what make help arrive quickly (APEC 2005 action area 3, "the
//! cooperative arrangements to support these efforts"; ITU 2009, "share information and
//! assist one and other in developing national watch and warning and incident management
//! capabilities"). They go back when the loan ends
//! ([`super::progress_tasks`]). Help that arrives raises the borrowing economy's trust
//! in the lender ([`crate::partners`]).

use bevy_ecs::prelude::*;

use crate::command::{Command, TaskId};
use crate::outcomes::{Achieved, Outcomes};
use crate::partners::PartnerTrust;
use crate::scenario::model::{EconomyIdx, TeamIdx};
use crate::sim::rules::assistance_delay;
use crate::world::{Assignment, Clock, Done, Id, Ids, ScenarioData, Staff, in_id_order};

/// Lent analysts whose journey ends this tick join the borrowing team (with no delay
/// they joined when the loan was accepted), in task id order (each arrival is recorded
/// for the conditions on assistance delivered).
#[allow(clippy::too_many_arguments)]
pub fn arrive_lent_analysts(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    loans: Query<(&Id<TaskId>, &Assignment), Without<Done>>,
    team_ids: Res<Ids<TeamIdx>>,
    mut teams: Query<&mut Staff>,
    economy_ids: Res<Ids<EconomyIdx>>,
    mut partners: Query<&mut PartnerTrust>,
    mut outcomes: ResMut<Outcomes>,
) {
    let scenario = &scenario.0;
    let loans = in_id_order(loans.iter().map(|(id, loan)| (id.0, loan)));
    for (_, loan) in loans {
        let Command::ProvideAssistance { to, analysts } = loan.command else {
            continue;
        };
        let (Some(lender), Some(borrower)) = (
            scenario.teams.get(loan.team.index()),
            scenario.teams.get(to.index()),
        ) else {
            continue;
        };
        let delay = assistance_delay(scenario, lender.economy, borrower.economy);
        if delay > 0
            && loan.started_at + delay == clock.tick
            && let Some(Ok(mut staff)) = team_ids.get(to).map(|e| teams.get_mut(e))
        {
            staff.borrowed += analysts;
            if let Some(Ok(mut trust)) = economy_ids
                .get(borrower.economy)
                .map(|e| partners.get_mut(e))
            {
                trust.helped(lender.economy.index());
            }
            outcomes.record(
                clock.tick,
                Achieved::AssistanceDelivered {
                    from: lender.economy,
                    to: borrower.economy,
                    analysts,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::TaskId;
    use crate::systems::testing::{get, get_mut, run, world_at};
    use crate::world::spawn_now;

    fn borrowed(world: &World, team: u32) -> Option<u32> {
        get::<_, Staff>(world, TeamIdx(team)).map(|s| s.borrowed)
    }

    /// Strong's CSIRT (team 0) lends 3 analysts to Weak's (team 4) at tick 2: with no
    /// assistance agreement they travel the scenario's default 12 ticks.
    #[test]
    fn lent_analysts_join_the_borrower_when_their_journey_ends() {
        let mut world = world_at(2);
        let loan: TaskId = spawn_now(
            &mut world,
            Assignment {
                team: TeamIdx(0),
                command: Command::ProvideAssistance {
                    to: TeamIdx(4),
                    analysts: 3,
                },
                analysts: 3,
                started_at: 2,
                done_at: 26,
            },
        );
        for tick in [2, 3, 13, 15] {
            world.resource_mut::<Clock>().tick = tick;
            run(&mut world, arrive_lent_analysts);
            assert_eq!(borrowed(&world, 4), Some(0), "tick {tick}");
        }
        world.resource_mut::<Clock>().tick = 14;
        let trust = |world: &World| {
            get::<_, PartnerTrust>(world, EconomyIdx(1)).map(|t| (t.of(0), t.moves[0].assistance))
        };
        assert_eq!(trust(&world), Some((crate::partners::START, 0.0)));
        run(&mut world, arrive_lent_analysts);
        assert_eq!(borrowed(&world, 4), Some(3));
        // Weak trusts Strong more for the help: +5 x (100 - 50) / 100.
        assert_eq!(trust(&world), Some((52.5, 2.5)));
        // A finished loan brings no one.
        get_mut::<_, Staff>(&mut world, TeamIdx(4)).borrowed = 0;
        let e = crate::systems::testing::entity(&world, loan);
        world.entity_mut(e).insert(Done {
            outcome: "returned".into(),
        });
        run(&mut world, arrive_lent_analysts);
        assert_eq!(borrowed(&world, 4), Some(0));
    }

    #[test]
    fn a_loan_at_home_arrives_at_once_so_nothing_arrives_later() {
        let mut world = world_at(2);
        spawn_now::<TaskId>(
            &mut world,
            Assignment {
                team: TeamIdx(0),
                command: Command::ProvideAssistance {
                    to: TeamIdx(2),
                    analysts: 2,
                },
                analysts: 2,
                started_at: 2,
                done_at: 14,
            },
        );
        for tick in 2..16 {
            world.resource_mut::<Clock>().tick = tick;
            run(&mut world, arrive_lent_analysts);
        }
        assert_eq!(borrowed(&world, 2), Some(0));
    }
}
