//! Law enforcement and takedowns: what legal action, mutual legal assistance and a
//! takedown achieve, which depends on where the campaign comes from. A campaign's actor
//! operates from its `origin` economy and its infrastructure (fake sites, phishing
//! pages, command servers, harmful content) is hosted in its `hosting` economies; a
//! campaign with neither runs from outside the region, out of every team's legal reach.
//!
//! - legal action by the police of economy E (chance 0.3 + 0.6 x E's legal readiness):
//!   if E is the origin, the people behind it are arrested and every campaign their
//!   actor runs from there stops everywhere; if E hosts it, its servers there are seized (as a takedown in E);
//!   otherwise only its local accomplices are charged and its attempts in E are halved.
//! - mutual legal assistance from F to T (chance (legal(F) + legal(T)) / 200 x (0.5 +
//!   0.5 x cooperation(T))) acts only where T can act: if T is the origin, arrests stop
//!   the actor's campaigns run from there; if T hosts it, its servers there are seized; otherwise T finds
//!   nothing of it and the request fails without a draw.
//! - takedown (fake websites, phishing, harmful content) by a team of a hosting economy
//!   removes the content hosted there. Attempts of a campaign scale with the share of its
//!   hosting economies still serving it; when none is left, it stops and every open
//!   incident of it closes (the content is gone for every victim). Containing such an
//!   incident at the victim's end only blocks it there.
//!
//! Sources: APEC Strategy 2005 action area 2 (legal cooperation: "cybercrime laws ...
//! mutual legal assistance"); Council of Europe Budapest Convention arts. 23-35
//! (international co-operation, preservation and seizure of data across borders);
//! ITU 2009 forum "legal measures"; ITU Guidelines for Industry on Child Online
//! Protection (2020) on notice and takedown of child sexual abuse material at the host;
//! INHOPE (hotlines' notice and takedown also forwards the report to the police for
//! victim identification: a takedown of harmful content refers its incident, see
//! [`crate::protection`]).

use super::fraction;
use super::progress_tasks::TaskEffects;
use crate::command::IncidentId;
use crate::outcomes::{Achieved, StopCause};
use crate::scenario::model::{CampaignIdx, CampaignKind, EconomyIdx, LegalOutcome};
use crate::world::{Contained, NO_INCIDENT, Recovered};

/// Factor on a campaign's chances of access in an economy whose police charged its local
/// accomplices.
pub const DISRUPTION_FACTOR: f64 = 0.5;

/// Share of a campaign's hosting economies still serving it, 0-1 (1 without hosting:
/// nothing to take down).
pub fn hosting_left(hosting: &[EconomyIdx], taken_down: &[EconomyIdx]) -> f64 {
    if hosting.is_empty() {
        return 1.0;
    }
    let left = hosting.iter().filter(|h| !taken_down.contains(h)).count();
    left as f64 / hosting.len() as f64
}

/// Chance that legal action succeeds: `0.3 + 0.6 x legal readiness`.
pub fn legal_action_chance(legal: u8) -> f64 {
    0.3 + 0.6 * fraction(legal)
}

/// Chance that a mutual legal assistance request to an economy that can act succeeds:
/// the mean of both economies' legal readiness, times `0.5 + 0.5 x` the requested
/// economy's cooperation.
pub fn mla_chance(our_legal: u8, their_legal: u8, their_cooperation: u8) -> f64 {
    (fraction(our_legal) + fraction(their_legal)) / 2.0 * (0.5 + 0.5 * fraction(their_cooperation))
}

impl TaskEffects<'_, '_> {
    /// Legal action by the police of `economy` against the campaign of incident `id`.
    pub(super) fn legal_action(&mut self, economy: EconomyIdx, id: IncidentId) -> String {
        let Some(case) = self.incidents.case(id) else {
            return "incident vanished".into();
        };
        let campaign = case.hit.campaign;
        let legal = self
            .economies
            .ids
            .get(economy)
            .and_then(|e| self.economies.economies.get(e).ok())
            .map_or(0, |(pillars, ..)| pillars.0.legal);
        let succeeded = self.rng.0.chance(legal_action_chance(legal));
        let now = self.clock.tick;
        self.outcomes.record(
            now,
            Achieved::LegalAction {
                campaign,
                by: economy,
                outcome: legal_outcome(succeeded),
            },
        );
        if !succeeded {
            return "the case could not be made".into();
        }
        let scenario = self.scenario.0.clone();
        let c = &scenario.campaigns[campaign.index()];
        if c.origin == Some(economy) {
            let stopped = self.arrest(campaign, StopCause::LegalAction);
            format!(
                "arrests at home: the people behind the campaign are in custody; {stopped} campaign(s) stopped"
            )
        } else if c.hosting.contains(&economy) {
            self.take_down(campaign, economy, StopCause::LegalAction)
        } else {
            if let Some(Ok((_, _, _, _, mut disrupted))) = self
                .economies
                .ids
                .get(economy)
                .map(|e| self.economies.economies.get_mut(e))
                && let Some(flag) = disrupted.0.get_mut(campaign.index())
            {
                *flag = true;
            }
            "local accomplices charged: the campaign is disrupted at home (its people are abroad)"
                .into()
        }
    }

    /// A mutual legal assistance request from `economy` to `to` about the campaign of
    /// incident `id`.
    pub(super) fn mutual_legal_assistance(
        &mut self,
        economy: EconomyIdx,
        id: IncidentId,
        to: EconomyIdx,
    ) -> String {
        let Some(case) = self.incidents.case(id) else {
            return "incident vanished".into();
        };
        let campaign = case.hit.campaign;
        let scenario = self.scenario.0.clone();
        let c = &scenario.campaigns[campaign.index()];
        let origin = c.origin == Some(to);
        let hosts = c.hosting.contains(&to);
        let succeeded = (origin || hosts) && {
            // Readiness now (training and capacity building may have raised it).
            let now = |e: EconomyIdx| {
                self.economies
                    .pillars(e)
                    .unwrap_or(scenario.economies[e.index()].readiness)
            };
            let (ours, theirs) = (now(economy), now(to));
            self.rng
                .0
                .chance(mla_chance(ours.legal, theirs.legal, theirs.cooperation))
        };
        self.outcomes.record(
            self.clock.tick,
            Achieved::Mla {
                campaign,
                from: economy,
                to,
                outcome: legal_outcome(succeeded),
            },
        );
        let name = &scenario.economies[to.index()].name;
        if !(origin || hosts) {
            return format!(
                "{name} found neither the people nor the servers of the campaign: ask the economy your investigation traced it to"
            );
        }
        if !succeeded {
            return "the request did not lead to action".into();
        }
        if origin {
            let stopped = self.arrest(campaign, StopCause::Mla);
            format!("arrests in {name}: {stopped} campaign(s) of its actor stopped")
        } else {
            self.take_down(campaign, to, StopCause::Mla)
        }
    }

    /// A takedown by a team of `host` of the content of incident `id`'s campaign.
    pub(super) fn takedown(&mut self, host: EconomyIdx, id: IncidentId) -> String {
        let Some(case) = self.incidents.case(id) else {
            return "incident vanished".into();
        };
        if case.hit.kind == CampaignKind::HarmfulContent {
            // Notice and takedown passes the report on to the police (INHOPE): the
            // children this incident reached are followed up.
            let now = self.clock.tick;
            self.protection.refer(id, case.hit.economy, now);
        }
        self.take_down(case.hit.campaign, host, StopCause::Takedown)
    }

    /// Removes what `host` serves of a campaign; when no hosting economy serves it any
    /// more, the campaign stops and its open incidents close.
    fn take_down(&mut self, campaign: CampaignIdx, host: EconomyIdx, cause: StopCause) -> String {
        let now = self.clock.tick;
        let scenario = self.scenario.0.clone();
        let hosting = &scenario.campaigns[campaign.index()].hosting;
        let mut left = hosting.len();
        for (id, _, mut taken_down) in &mut self.campaigns {
            if id.0 != campaign {
                continue;
            }
            if !taken_down.0.contains(&host) {
                taken_down.0.push(host);
                self.outcomes
                    .record(now, Achieved::Takedown { campaign, host });
            }
            left = hosting.iter().filter(|h| !taken_down.0.contains(h)).count();
        }
        if left > 0 {
            return format!(
                "taken down here; still served from {left} other economy(ies) of its {}",
                hosting.len()
            );
        }
        self.stop(campaign, cause);
        let mut closed = 0;
        let open: Vec<(IncidentId, crate::systems::progress_tasks::Case)> = self
            .incidents
            .ids
            .iter()
            .filter_map(|(id, _)| self.incidents.case(id).map(|case| (id, case)))
            .filter(|(_, case)| case.hit.campaign == campaign && case.is_open())
            .collect();
        for (id, case) in open {
            self.commands
                .entity(case.entity)
                .insert((Contained(now), Recovered(now)));
            self.incidents.note_contained(case.entity);
            self.incidents.note_recovered(case.entity);
            let a = case.hit.asset.index();
            self.assets.set_damage(a, 0.0);
            if self.assets.open_incident[a] == id.0 {
                self.assets.open_incident[a] = NO_INCIDENT;
            }
            closed += 1;
        }
        format!(
            "taken down everywhere it was hosted: the campaign has stopped, {closed} open incident(s) closed"
        )
    }

    /// Arrests the people behind a campaign where they operate: every campaign of the
    /// same actor run from the same origin stops. Returns how many were running.
    fn arrest(&mut self, campaign: CampaignIdx, cause: StopCause) -> usize {
        let scenario = self.scenario.0.clone();
        let c = &scenario.campaigns[campaign.index()];
        let mut stopped = 0;
        for (i, other) in scenario.campaigns.iter().enumerate() {
            if other.actor == c.actor && other.origin == c.origin {
                stopped += usize::from(self.stop(CampaignIdx(i as u32), cause));
            }
        }
        stopped
    }

    /// Stops a running campaign for `cause`, or keeps one that has not started from ever
    /// starting (a stopped one keeps its first cause). Whether it was running.
    fn stop(&mut self, campaign: CampaignIdx, cause: StopCause) -> bool {
        let now = self.clock.tick;
        let mut was_running = false;
        for (id, mut activity, _) in &mut self.campaigns {
            if id.0 == campaign && activity.stopped_at.is_none() {
                was_running = activity.active();
                activity.stopped_at = Some(now);
                activity.stopped_by = Some(cause);
            }
        }
        was_running
    }
}

/// A legal request's result as the record keeps it.
fn legal_outcome(succeeded: bool) -> LegalOutcome {
    if succeeded {
        LegalOutcome::Succeeded
    } else {
        LegalOutcome::Failed
    }
}

#[cfg(test)]
mod tests {
    use bevy_ecs::world::World;

    use super::*;
    use crate::command::Command;
    use crate::systems::progress_tasks::progress_tasks;
    use crate::systems::testing::{get, incident, outcome, run, task, world_of};
    use crate::testkit::two_economies;
    use crate::view::Stage;
    use crate::world::{Activity, Assets, TakenDown};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn formulas_of_the_law_and_of_hosting() {
        for (legal, chance) in [(0, 0.3), (50, 0.6), (100, 0.9)] {
            assert!(close(legal_action_chance(legal), chance), "{legal}");
        }
        for ((ours, theirs, cooperation), chance) in [
            ((100, 100, 100), 1.0),
            ((100, 100, 0), 0.5),
            ((50, 30, 60), 0.4 * 0.8),
            ((0, 0, 100), 0.0),
        ] {
            let got = mla_chance(ours, theirs, cooperation);
            assert!(close(got, chance), "{ours} {theirs} {cooperation}: {got}");
        }
        let (strong, weak) = (EconomyIdx(0), EconomyIdx(1));
        for ((hosting, taken_down), left) in [
            ((vec![], vec![strong]), 1.0),
            ((vec![strong, weak], vec![]), 1.0),
            ((vec![strong, weak], vec![weak]), 0.5),
            ((vec![strong, weak], vec![weak, strong]), 0.0),
        ] {
            assert!(close(hosting_left(&hosting, &taken_down), left));
        }
    }

    /// The two-economy world at `tick` with the phishing campaign (1) run from Weak and
    /// hosted in both economies.
    fn hosted_phishing(tick: u32) -> World {
        let mut scenario = two_economies();
        scenario.campaigns[1].origin = Some(EconomyIdx(1));
        scenario.campaigns[1].hosting = vec![EconomyIdx(0), EconomyIdx(1)];
        world_of(scenario, tick)
    }

    #[test]
    fn a_takedown_removes_one_host_and_the_last_stops_the_campaign() {
        let mut world = hosted_phishing(5);
        let phishing = incident(&mut world, 5, 1, Stage::Impact, 2);
        world.resource_mut::<Assets>().damage[5] = 0.4;
        // Strong's police (team 3) first, Weak's (team 7) at the next tick.
        let here = task(
            &mut world,
            3,
            Command::Takedown { incident: phishing },
            1,
            5,
        );
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, here).as_deref(),
            Some("taken down here; still served from 1 other economy(ies) of its 2")
        );
        let taken_down = |w: &World| get::<_, TakenDown>(w, CampaignIdx(1)).map(|t| t.0.clone());
        assert_eq!(taken_down(&world), Some(vec![EconomyIdx(0)]));
        assert!(
            get::<_, Contained>(&world, phishing).is_none(),
            "still open"
        );

        world.resource_mut::<crate::world::Clock>().tick = 6;
        let last = task(
            &mut world,
            7,
            Command::Takedown { incident: phishing },
            1,
            6,
        );
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, last).as_deref(),
            Some(
                "taken down everywhere it was hosted: the campaign has stopped, 1 open incident(s) closed"
            )
        );
        assert_eq!(taken_down(&world), Some(vec![EconomyIdx(0), EconomyIdx(1)]));
        let activity = get::<_, Activity>(&world, CampaignIdx(1)).copied();
        assert_eq!(
            activity.and_then(|a| a.stopped_by),
            Some(StopCause::Takedown)
        );
        assert_eq!(activity.and_then(|a| a.stopped_at), Some(6));
        assert_eq!(get::<_, Recovered>(&world, phishing).map(|r| r.0), Some(6));
        assert_eq!(world.resource::<Assets>().damage[5], 0.0);
        assert_eq!(world.resource::<Assets>().open_incident[5], NO_INCIDENT);
    }

    #[test]
    fn mutual_legal_assistance_to_an_economy_out_of_reach_fails_without_a_draw() {
        let mut scenario = two_economies();
        scenario.campaigns[1].hosting = vec![EconomyIdx(1)];
        let mut world = world_of(scenario, 3);
        let phishing = incident(&mut world, 2, 1, Stage::Impact, 1);
        let before = world.resource::<crate::world::Rng>().0.word_pos();
        // Weak's police ask Strong, which neither hosts nor runs the campaign.
        let ask = task(
            &mut world,
            7,
            Command::MutualLegalAssistance {
                incident: phishing,
                to: EconomyIdx(0),
            },
            1,
            3,
        );
        run(&mut world, progress_tasks);
        assert_eq!(
            outcome(&world, ask).as_deref(),
            Some(
                "strong economy found neither the people nor the servers of the campaign: ask the economy your investigation traced it to"
            )
        );
        assert_eq!(world.resource::<crate::world::Rng>().0.word_pos(), before);
        let activity = get::<_, Activity>(&world, CampaignIdx(1)).copied();
        assert_eq!(activity.and_then(|a| a.stopped_at), None);
    }
}
