//! Spam filtering rolled out over ticks ([`crate::spam`]): each economy's filtering closes
//! `hours / 24` of the gap to the target an effect or a regulator's coordination set.

use bevy_ecs::prelude::*;

use crate::economics;
use crate::spam::Spam;
use crate::world::ScenarioData;

/// Moves every economy's filtering one tick towards its target.
pub fn roll_out_spam_filters(scenario: Res<ScenarioData>, mut spam: ResMut<Spam>) {
    spam.roll_out(economics::tick_hours(scenario.0.meta.tick_minutes));
}
