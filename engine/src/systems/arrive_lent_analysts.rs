//! Assistance across borders: analysts lent by a team leave it at once (when the loan is
//! accepted) and join the borrowing team once the assistance delay has run: none at
//! home, the shortest assistance agreement covering both economies, else the scenario's
//! `assistance_delay_without_agreement`. Agreed procedures and points of contact
//! arranged in advance are what make help arrive quickly (APEC 2005 action area 3, "the
//! cooperative arrangements to support these efforts"; ITU 2009, "assist one and other
//! ... in incident management"). They go back when the loan ends
//! ([`super::progress_tasks`]).

use bevy_ecs::prelude::*;

use crate::command::Command;
use crate::scenario::model::TeamIdx;
use crate::sim::rules::assistance_delay;
use crate::world::{Assignment, Clock, Done, Ids, ScenarioData, Staff};

/// Lent analysts whose journey ends this tick join the borrowing team (with no delay
/// they joined when the loan was accepted). Only sums change: no order matters.
pub fn arrive_lent_analysts(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    loans: Query<&Assignment, Without<Done>>,
    team_ids: Res<Ids<TeamIdx>>,
    mut teams: Query<&mut Staff>,
) {
    let scenario = &scenario.0;
    for loan in &loans {
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
        }
    }
}
