//! The mechanics, one system per file, and the tick that runs them in one explicit
//! order. Reading [`TickSystems::new`] top to bottom is reading one tick.

pub mod accrue_loss;
pub mod advance_campaigns;
pub mod advance_clock;
pub mod apply_damage;
pub mod arrive_lent_analysts;
pub mod cascade_outages;
pub mod deliver_notifications;
pub mod deliver_shared_information;
pub mod deliver_spam;
pub mod detect_incidents;
pub mod enforcement;
pub mod expose_children;
pub mod fire_injects;
pub mod measure_service;
pub mod note_refusals;
pub mod offer_decisions;
pub mod open_reach;
pub mod progress_tasks;
pub mod record_history;
pub mod repair_hazards;
pub mod roll_out_spam_filters;
pub mod score_objectives;
#[cfg(test)]
pub(crate) mod testing;
pub mod update_trust;
pub mod warn_operators;
pub mod watch_conditions;

use bevy_ecs::prelude::*;
use bevy_ecs::system::{BoxedSystem, RunSystemError};

pub use accrue_loss::accrue_loss;
pub use advance_campaigns::advance_campaigns;
pub use advance_clock::advance_clock;
pub use apply_damage::apply_damage;
pub use arrive_lent_analysts::arrive_lent_analysts;
pub use cascade_outages::cascade_outages;
pub use deliver_notifications::deliver_notifications;
pub use deliver_shared_information::deliver_shared_information;
pub use deliver_spam::deliver_spam;
pub use detect_incidents::detect_incidents;
pub use expose_children::expose_children;
pub use fire_injects::fire_injects;
pub use measure_service::measure_service;
pub use note_refusals::note_refusals;
pub use offer_decisions::offer_decisions;
pub use progress_tasks::progress_tasks;
pub use record_history::record_history;
pub use repair_hazards::repair_hazards;
pub use roll_out_spam_filters::roll_out_spam_filters;
pub use score_objectives::score_objectives;
pub use update_trust::update_trust;
pub use warn_operators::warn_operators;
pub use watch_conditions::watch_conditions;

use crate::scenario::model::CampaignKind;

/// One tick: the systems below, run one after the other in this order on a single
/// thread, each one's commands applied before the next runs.
///
/// That is what a bevy `Schedule` of one `.chain()` with the single-threaded executor
/// does (its automatic sync points apply a system's commands before the systems after
/// it), without building a schedule graph: the order is this list, so there is nothing
/// to sort and no ambiguity to detect. Building the graph was two thirds of setting up
/// a run (`docs/performance.md`, "Simulation ticks"), paid once per run: ten thousand
/// times in a batch of ten thousand runs.
pub struct TickSystems {
    systems: Vec<BoxedSystem>,
}

impl TickSystems {
    /// The tick's systems, initialised on `world` (their queries and parameters); they
    /// run on that world only.
    pub fn new(world: &mut World) -> Self {
        let mut systems: Vec<BoxedSystem> = vec![
            // The world moves by what teams and injects did...
            Box::new(IntoSystem::into_system(advance_clock)),
            Box::new(IntoSystem::into_system(watch_conditions)),
            Box::new(IntoSystem::into_system(fire_injects)),
            Box::new(IntoSystem::into_system(offer_decisions)),
            Box::new(IntoSystem::into_system(arrive_lent_analysts)),
            Box::new(IntoSystem::into_system(note_refusals)),
            Box::new(IntoSystem::into_system(progress_tasks)),
            // ...then by what attackers and hazards do.
            Box::new(IntoSystem::into_system(advance_campaigns)),
            Box::new(IntoSystem::into_system(detect_incidents)),
            Box::new(IntoSystem::into_system(apply_damage)),
            Box::new(IntoSystem::into_system(repair_hazards)),
            Box::new(IntoSystem::into_system(cascade_outages)),
            Box::new(IntoSystem::into_system(measure_service)),
            Box::new(IntoSystem::into_system(deliver_shared_information)),
            Box::new(IntoSystem::into_system(deliver_notifications)),
            Box::new(IntoSystem::into_system(warn_operators)),
            Box::new(IntoSystem::into_system(update_trust)),
            Box::new(IntoSystem::into_system(roll_out_spam_filters)),
            Box::new(IntoSystem::into_system(deliver_spam)),
            Box::new(IntoSystem::into_system(accrue_loss)),
            Box::new(IntoSystem::into_system(expose_children)),
            Box::new(IntoSystem::into_system(score_objectives)),
            Box::new(IntoSystem::into_system(record_history)),
        ];
        for system in &mut systems {
            system.initialize(world);
        }
        Self { systems }
    }

    /// Runs one tick on the world the systems were initialised on.
    pub fn run(&mut self, world: &mut World) {
        // As a schedule's run does: change ticks too old to compare are wrapped.
        if let Some(check) = world.check_change_ticks() {
            for system in &mut self.systems {
                system.check_change_tick(check);
            }
        }
        for system in &mut self.systems {
            // `run` applies the system's commands before returning. A system is
            // skipped only when a parameter is missing, and every resource is inserted
            // with the world (`Simulation::new`): a failure is a bug, as a schedule's
            // default error handler says by panicking.
            if let Err(RunSystemError::Failed(err)) = system.run((), world) {
                panic!("the tick's system {} failed: {err}", system.name());
            }
        }
    }
}

/// Campaign kinds aimed at people rather than machines (APEC: spam, identity theft,
/// fake websites, harmful content): public awareness defends, trust suffers.
pub fn targets_people(kind: CampaignKind) -> bool {
    matches!(
        kind,
        CampaignKind::Phishing
            | CampaignKind::IdentityTheft
            | CampaignKind::FakeWebsite
            | CampaignKind::HarmfulContent
            | CampaignKind::Spam
    )
}

/// Natural disasters and technical failures: no stages, they strike at once.
pub fn is_hazard(kind: CampaignKind) -> bool {
    matches!(
        kind,
        CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure
    )
}

/// A readiness or posture score 0-100 as a fraction 0-1.
pub fn fraction(score: impl Into<f64>) -> f64 {
    (score.into() / 100.0).clamp(0.0, 1.0)
}
