//! Public trust in the online environment (APEC 2005: building confidence and trust is
//! the strategy's aim). It erodes with attacks on people (spam, phishing, identity
//! theft, fake sites, harmful content) that reach impact and stay open, less so where
//! the public is aware, and with outages of essential services; it recovers towards its
//! starting level as an aware public sees a visible response (incidents contained or
//! recovered). Each term is booked under its cause in the economy's [`TrustMoves`], so
//! screens can say what moved it.

use bevy_ecs::prelude::*;

use super::{fraction, targets_people};
use crate::scenario::model::EconomyIdx;
use crate::trust::{TrustCause, TrustMoves};
use crate::world::{
    Awareness, Clock, Contained, Hit, Id, Ids, Impacted, Open, Recovered, ScenarioData, Service,
    Trust,
};

/// Trust points lost per tick per open attack on people at impact (fully unaware public).
const PEOPLE_ATTACK_EROSION: f64 = 0.3;
/// Trust points lost per tick per unit of mean unavailability of the economy's services.
const OUTAGE_EROSION: f64 = 2.0;
/// Trust points regained per incident contained or recovered this tick.
const VISIBLE_RESPONSE: f64 = 0.5;
/// Share of the gap to the starting trust regained per tick with a fully aware public.
const RECOVERY_RATE: f64 = 0.05;

/// Trust after one tick: `trust - erosion + recovery`, clamped to 0-100, where erosion
/// is `0.3 (1 - 0.5 a) attacks + 2 (1 - service)` and recovery `0.5 responses + 0.05 a
/// max(0, baseline - trust)`, with `a` the awareness as a fraction.
pub fn next_trust(
    trust: f64,
    awareness: f64,
    baseline: f64,
    service: f64,
    open_people_attacks: u32,
    responses: u32,
) -> f64 {
    trust_step(
        trust,
        awareness,
        baseline,
        service,
        open_people_attacks,
        responses,
    )
    .0
}

/// [`next_trust`], and the tick's change by cause (attacks on people, outages, visible
/// response, recovery with an aware public), each term scaled by the same factor so
/// that they add up to the change applied within 0-100.
pub fn trust_step(
    trust: f64,
    awareness: f64,
    baseline: f64,
    service: f64,
    open_people_attacks: u32,
    responses: u32,
) -> (f64, [(TrustCause, f64); 4]) {
    let aware = fraction(awareness);
    let attacks = PEOPLE_ATTACK_EROSION * (1.0 - 0.5 * aware) * f64::from(open_people_attacks);
    let outages = OUTAGE_EROSION * (1.0 - service);
    let response = VISIBLE_RESPONSE * f64::from(responses);
    let regained = RECOVERY_RATE * aware * (baseline - trust).max(0.0);
    let erosion = attacks + outages;
    let recovery = response + regained;
    let next = (trust - erosion + recovery).clamp(0.0, 100.0);
    let raw = recovery - erosion;
    let applied = next - trust;
    // At a bound only part of the raw change applies: each cause keeps its share of it.
    let scale = if raw == 0.0 { 0.0 } else { applied / raw };
    (
        next,
        [
            (TrustCause::AttacksOnPeople, -attacks * scale),
            (TrustCause::Outages, -outages * scale),
            (TrustCause::VisibleResponse, response * scale),
            (TrustCause::AwarePublic, regained * scale),
        ],
    )
}

/// Incidents closed since the system last ran (contained or recovered): the only
/// closed ones this tick's responses can be among, so closed incidents of earlier ticks
/// are not visited again (the cost of a tick does not grow with the ticks behind it).
type JustClosed<'w, 's> = Query<
    'w,
    's,
    (
        &'static Hit,
        Option<&'static Contained>,
        Option<&'static Recovered>,
    ),
    Or<(Added<Contained>, Added<Recovered>)>,
>;

/// Moves every economy's trust by this tick's erosion and recovery (economies are
/// independent of each other; incidents are only counted, so no order matters).
pub fn update_trust(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    economy_ids: Res<Ids<EconomyIdx>>,
    open: Query<&Hit, (With<Impacted>, Open)>,
    just_closed: JustClosed,
    mut economies: Query<(
        &Id<EconomyIdx>,
        &mut Trust,
        &mut TrustMoves,
        &Awareness,
        &Service,
    )>,
) {
    let now = clock.tick;
    let count = economy_ids.len();
    let mut open_people_attacks = vec![0u32; count];
    let mut responses = vec![0u32; count];
    for hit in &open {
        if targets_people(hit.kind) {
            open_people_attacks[hit.economy.index()] += 1;
        }
    }
    for (hit, contained, recovered) in &just_closed {
        if contained.is_some_and(|c| c.0 == now) || recovered.is_some_and(|r| r.0 == now) {
            responses[hit.economy.index()] += 1;
        }
    }
    for (id, mut trust, mut moves, awareness, service) in &mut economies {
        let e = id.0.index();
        let baseline = f64::from(scenario.0.economies[e].trust);
        let (next, parts) = trust_step(
            trust.0,
            awareness.0,
            baseline,
            service.0,
            open_people_attacks[e],
            responses[e],
        );
        trust.0 = next;
        for (cause, points) in parts {
            moves.book(cause, points);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{entity, get, get_mut, incident, run, world_at};
    use crate::view::Stage;

    #[test]
    fn at_a_bound_each_cause_keeps_its_share_of_the_change_applied() {
        // 1.0 above the floor, 3 x 0.3 of attacks and 2 x 0.5 of outages: 1.9 raw
        // erosion, 1.0 applied, split 0.9 : 1.0.
        let (next, parts) = trust_step(1.0, 0.0, 70.0, 0.5, 3, 0);
        assert_eq!(next, 0.0);
        let total: f64 = parts.iter().map(|(_, p)| p).sum();
        assert!((total + 1.0).abs() < 1e-12);
        assert!((parts[0].1 + 0.9 / 1.9).abs() < 1e-12, "{parts:?}");
        assert!((parts[1].1 + 1.0 / 1.9).abs() < 1e-12, "{parts:?}");
    }

    #[test]
    fn trust_erodes_with_outages_and_attacks_and_recovers_with_response() {
        // (trust, awareness, baseline, service, attacks, responses) -> trust after.
        for (inputs, after) in [
            ((70.0, 50.0, 70.0, 1.0, 0, 0), 70.0),
            ((70.0, 50.0, 70.0, 0.5, 0, 0), 69.0),
            ((70.0, 0.0, 70.0, 1.0, 2, 0), 69.4),
            ((70.0, 100.0, 70.0, 1.0, 2, 0), 69.7),
            ((70.0, 50.0, 70.0, 1.0, 0, 2), 71.0),
            ((60.0, 100.0, 70.0, 1.0, 0, 0), 60.5),
            ((60.0, 0.0, 70.0, 1.0, 0, 0), 60.0),
            ((80.0, 100.0, 70.0, 1.0, 0, 0), 80.0),
            ((0.5, 0.0, 70.0, 0.0, 3, 0), 0.0),
            ((99.9, 0.0, 70.0, 1.0, 0, 4), 100.0),
        ] {
            let (trust, awareness, baseline, service, attacks, responses) = inputs;
            let next = next_trust(trust, awareness, baseline, service, attacks, responses);
            assert!(
                (next - after).abs() < 1e-9,
                "{inputs:?}: {next}, not {after}"
            );
        }
    }

    #[test]
    fn open_attacks_on_people_and_responses_this_tick_count_per_economy() {
        let mut world = world_at(6);
        // Weak (awareness 30): two phishing incidents at impact on its bank, one of them
        // contained this tick; Strong: a contained ransomware incident from long ago.
        incident(&mut world, 5, 1, Stage::Impact, 4);
        let contained = incident(&mut world, 5, 1, Stage::Impact, 4);
        let e = entity(&world, contained);
        world.entity_mut(e).insert(Contained(6));
        let old = incident(&mut world, 0, 0, Stage::Impact, 1);
        let e = entity(&world, old);
        world.entity_mut(e).insert(Contained(2));
        get_mut::<_, Service>(&mut world, EconomyIdx(1)).0 = 0.9;
        run(&mut world, update_trust);
        let trust = |e| get::<_, Trust>(&world, EconomyIdx(e)).map(|t| t.0);
        assert_eq!(trust(0), Some(70.0), "nothing this tick in Strong");
        let expected = next_trust(70.0, 30.0, 70.0, 0.9, 1, 1);
        assert_eq!(trust(1), Some(expected));
        // The change is booked by cause: one open attack on people and the outage eroded
        // it, the contained incident (a visible response) regained some.
        let moves = get::<_, TrustMoves>(&world, EconomyIdx(1)).copied();
        let moves = moves.unwrap_or_default();
        assert!(
            (moves.total() - (expected - 70.0)).abs() < 1e-12,
            "{moves:?}"
        );
        assert!(
            (moves.get(TrustCause::Outages) + 0.2).abs() < 1e-12,
            "{moves:?}"
        );
        assert!((moves.get(TrustCause::VisibleResponse) - 0.5).abs() < 1e-12);
        assert!(moves.get(TrustCause::AttacksOnPeople) < 0.0);
        assert_eq!(
            get::<_, TrustMoves>(&world, EconomyIdx(0)).map(|m| m.total()),
            Some(0.0)
        );
    }
}
