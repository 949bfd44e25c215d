//! Public trust in the online environment (APEC 2005: building confidence and trust is
//! the strategy's aim). It erodes with attacks on people (spam, phishing, identity
//! theft, fake sites, harmful content) that reach impact and stay open, less so where
//! the public is aware, and with outages of essential services; it recovers towards its
//! starting level as an aware public sees a visible response (incidents contained or
//! recovered).

use bevy_ecs::prelude::*;

use super::{fraction, targets_people};
use crate::world::{Clock, Economies, Incidents, ScenarioData};

/// Trust points lost per tick per open attack on people at impact (fully unaware public).
const PEOPLE_ATTACK_EROSION: f64 = 0.3;
/// Trust points lost per tick per unit of mean unavailability of the economy's services.
const OUTAGE_EROSION: f64 = 2.0;
/// Trust points regained per incident contained or recovered this tick.
const VISIBLE_RESPONSE: f64 = 0.5;
/// Share of the gap to the starting trust regained per tick with a fully aware public.
const RECOVERY_RATE: f64 = 0.05;

/// Moves every economy's trust by this tick's erosion and recovery.
pub fn update_trust(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    incidents: Res<Incidents>,
    mut economies: ResMut<Economies>,
) {
    let now = clock.tick;
    let count = economies.0.len();
    let mut open_people_attacks = vec![0u32; count];
    let mut responses = vec![0u32; count];
    for incident in &incidents.0 {
        let e = incident.economy.index();
        if incident.is_open() && incident.impacted_at.is_some() && targets_people(incident.kind) {
            open_people_attacks[e] += 1;
        }
        if incident.contained_at == Some(now) || incident.recovered_at == Some(now) {
            responses[e] += 1;
        }
    }
    for (e, economy) in economies.0.iter_mut().enumerate() {
        let aware = fraction(economy.awareness);
        let baseline = f64::from(scenario.0.economies[e].trust);
        let erosion =
            PEOPLE_ATTACK_EROSION * (1.0 - 0.5 * aware) * f64::from(open_people_attacks[e])
                + OUTAGE_EROSION * (1.0 - economy.service);
        let recovery = VISIBLE_RESPONSE * f64::from(responses[e])
            + RECOVERY_RATE * aware * (baseline - economy.trust).max(0.0);
        economy.trust = (economy.trust - erosion + recovery).clamp(0.0, 100.0);
    }
}
