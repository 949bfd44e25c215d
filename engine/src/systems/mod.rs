//! The mechanics, one system per file, and the schedule that runs them in one explicit
//! order. Reading [`tick_schedule`] top to bottom is reading one tick.

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
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};

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

/// Label of the one schedule: a tick of the exercise.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tick;

/// One tick, single-threaded, every system in one chain; an ambiguity is a build error.
pub fn tick_schedule() -> Schedule {
    let mut schedule = Schedule::new(Tick);
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    schedule.set_executor(SingleThreadedExecutor::default());
    // Two chained halves, one after the other (a tuple takes at most 20 systems): the
    // world moves by what teams and injects did, then by what attackers and hazards do.
    schedule.add_systems(
        (
            (
                advance_clock,
                watch_conditions,
                fire_injects,
                offer_decisions,
                arrive_lent_analysts,
                note_refusals,
                progress_tasks,
            )
                .chain(),
            (
                advance_campaigns,
                detect_incidents,
                apply_damage,
                repair_hazards,
                cascade_outages,
                measure_service,
                deliver_shared_information,
                deliver_notifications,
                warn_operators,
                update_trust,
                roll_out_spam_filters,
                deliver_spam,
                accrue_loss,
                expose_children,
                score_objectives,
                record_history,
            )
                .chain(),
        )
            .chain(),
    );
    schedule
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
