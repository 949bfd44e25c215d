//! Refused requests for help: a request for analysts that nobody in the asked economy
//! has answered (not one analyst lent) a day after it arrived counts as refused, and the
//! asking economy trusts the asked one less ([`crate::partners`]). The ITU 2009
//! Asia-Pacific forum: partnerships are "built on mutual trust"; a partner who does not
//! answer spends it.

use bevy_ecs::prelude::*;

use crate::partners::{PartnerTrust, REFUSAL_TICKS};
use crate::scenario::model::EconomyIdx;
use crate::world::{AssistanceRequest, Clock, Id, Ids, RequestId, ScenarioData, in_id_order};

/// Books every request left unanswered for exactly [`REFUSAL_TICKS`] ticks, in request
/// id order (once each: only in the tick its time runs out).
pub fn note_refusals(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    requests: Query<(&Id<RequestId>, &AssistanceRequest)>,
    economy_ids: Res<Ids<EconomyIdx>>,
    mut partners: Query<&mut PartnerTrust>,
) {
    let now = clock.tick;
    let expired = requests
        .iter()
        .filter(|(_, r)| r.provided == 0 && r.at + REFUSAL_TICKS == now)
        .map(|(id, r)| (id.0, r));
    for (_, request) in in_id_order(expired) {
        let Some(asking) = scenario.0.teams.get(request.from_team.index()) else {
            continue;
        };
        if asking.economy == request.to {
            continue;
        }
        if let Some(Ok(mut trust)) = economy_ids.get(asking.economy).map(|e| partners.get_mut(e)) {
            trust.refused(request.to.index());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partners::START;
    use crate::scenario::model::TeamIdx;
    use crate::systems::testing::{get, run, world_at};
    use crate::world::spawn_now;

    fn weak_trusts_strong(world: &World) -> Option<(f64, f64)> {
        get::<_, PartnerTrust>(world, EconomyIdx(1)).map(|t| (t.of(0), t.moves[0].refusals))
    }

    /// Weak's CSIRT (team 4) asked Strong for 4 analysts at tick 3: unanswered at tick
    /// 27, the request was refused and Weak trusts Strong less, once; an answered
    /// request costs nothing.
    #[test]
    fn a_request_unanswered_for_a_day_is_refused_once_and_lowers_trust() {
        let mut world = world_at(3);
        let request = |provided| AssistanceRequest {
            from_team: TeamIdx(4),
            to: EconomyIdx(0),
            analysts: 4,
            at: 3,
            provided,
        };
        spawn_now::<RequestId>(&mut world, request(0));
        spawn_now::<RequestId>(&mut world, request(2));
        for tick in [3, 26] {
            world.resource_mut::<Clock>().tick = tick;
            run(&mut world, note_refusals);
            assert_eq!(
                weak_trusts_strong(&world),
                Some((START, 0.0)),
                "tick {tick}"
            );
        }
        world.resource_mut::<Clock>().tick = 27;
        run(&mut world, note_refusals);
        // -10 x 50 / 100, the answered request nothing.
        assert_eq!(weak_trusts_strong(&world), Some((45.0, -5.0)));
        world.resource_mut::<Clock>().tick = 28;
        run(&mut world, note_refusals);
        assert_eq!(weak_trusts_strong(&world), Some((45.0, -5.0)));
    }
}
