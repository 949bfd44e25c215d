//! Assistance across borders: analysts lent by a team leave it at once (when the loan is
//! accepted) and join the borrowing team once the assistance delay has run: none at
//! home, the shortest assistance agreement covering both economies, else the scenario's
//! `assistance_delay_without_agreement`. Agreed procedures and points of contact
//! arranged in advance are what make help arrive quickly (APEC 2005 action area 3, "the
//! cooperative arrangements to support these efforts"; ITU 2009, "share information and
//! assist one and other in developing national watch and warning and incident management
//! capabilities"). They go back when the loan ends
//! ([`super::progress_tasks`]).

use bevy_ecs::prelude::*;

use crate::command::{Command, TaskId};
use crate::outcomes::{Achieved, Outcomes};
use crate::scenario::model::TeamIdx;
use crate::sim::rules::assistance_delay;
use crate::world::{Assignment, Clock, Done, Id, Ids, ScenarioData, Staff, in_id_order};

/// Lent analysts whose journey ends this tick join the borrowing team (with no delay
/// they joined when the loan was accepted), in task id order (each arrival is recorded
/// for the conditions on assistance delivered).
pub fn arrive_lent_analysts(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    loans: Query<(&Id<TaskId>, &Assignment), Without<Done>>,
    team_ids: Res<Ids<TeamIdx>>,
    mut teams: Query<&mut Staff>,
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
