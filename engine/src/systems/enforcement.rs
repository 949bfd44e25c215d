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
//! Protection (2020) on notice and takedown of child sexual abuse material at the host.

use super::fraction;
use super::progress_tasks::TaskWorld;
use crate::command::IncidentId;
use crate::outcomes::{Achieved, StopCause};
use crate::scenario::model::{CampaignIdx, EconomyIdx, LegalOutcome};
use crate::world::{CampaignState, NO_INCIDENT};

/// Factor on a campaign's chances of access in an economy whose police charged its local
/// accomplices.
pub const DISRUPTION_FACTOR: f64 = 0.5;

/// Share of a campaign's hosting economies still serving it, 0-1 (1 without hosting:
/// nothing to take down).
pub fn hosting_left(hosting: &[EconomyIdx], state: &CampaignState) -> f64 {
    if hosting.is_empty() {
        return 1.0;
    }
    let left = hosting
        .iter()
        .filter(|h| !state.taken_down.contains(h))
        .count();
    left as f64 / hosting.len() as f64
}

impl TaskWorld<'_> {
    /// Legal action by the police of `economy` against the campaign of incident `id`.
    pub(super) fn legal_action(&mut self, economy: EconomyIdx, id: IncidentId) -> String {
        let Some(incident) = self.incidents.get(id) else {
            return "incident vanished".into();
        };
        let campaign = incident.campaign;
        let readiness = self.economies.0[economy.index()].readiness;
        let chance = 0.3 + 0.6 * fraction(readiness.legal);
        let succeeded = self.rng.0.chance(chance);
        self.outcomes.record(
            self.now,
            Achieved::LegalAction {
                campaign,
                by: economy,
                outcome: legal_outcome(succeeded),
            },
        );
        if !succeeded {
            return "the case could not be made".into();
        }
        let c = &self.scenario.campaigns[campaign.index()];
        if c.origin == Some(economy) {
            let stopped = self.arrest(campaign, StopCause::LegalAction);
            format!(
                "arrests at home: the people behind the campaign are in custody; {stopped} campaign(s) stopped"
            )
        } else if c.hosting.contains(&economy) {
            self.take_down(campaign, economy, StopCause::LegalAction)
        } else {
            self.economies.0[economy.index()].disrupted[campaign.index()] = true;
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
        let Some(incident) = self.incidents.get(id) else {
            return "incident vanished".into();
        };
        let campaign = incident.campaign;
        let c = &self.scenario.campaigns[campaign.index()];
        let origin = c.origin == Some(to);
        let hosts = c.hosting.contains(&to);
        let succeeded = (origin || hosts) && {
            let ours = self.scenario.economies[economy.index()].readiness;
            let theirs = self.scenario.economies[to.index()].readiness;
            let chance = (fraction(ours.legal) + fraction(theirs.legal)) / 2.0
                * (0.5 + 0.5 * fraction(theirs.cooperation));
            self.rng.0.chance(chance)
        };
        self.outcomes.record(
            self.now,
            Achieved::Mla {
                campaign,
                from: economy,
                to,
                outcome: legal_outcome(succeeded),
            },
        );
        let name = &self.scenario.economies[to.index()].name;
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
        let Some(incident) = self.incidents.get(id) else {
            return "incident vanished".into();
        };
        self.take_down(incident.campaign, host, StopCause::Takedown)
    }

    /// Removes what `host` serves of a campaign; when no hosting economy serves it any
    /// more, the campaign stops and its open incidents close.
    fn take_down(&mut self, campaign: CampaignIdx, host: EconomyIdx, cause: StopCause) -> String {
        let now = self.now;
        let hosting = &self.scenario.campaigns[campaign.index()].hosting;
        let state = &mut self.campaigns.0[campaign.index()];
        if !state.taken_down.contains(&host) {
            state.taken_down.push(host);
            self.outcomes
                .record(now, Achieved::Takedown { campaign, host });
        }
        let left = hosting
            .iter()
            .filter(|h| !state.taken_down.contains(h))
            .count();
        if left > 0 {
            return format!(
                "taken down here; still served from {left} other economy(ies) of its {}",
                hosting.len()
            );
        }
        self.stop(campaign, cause);
        let mut closed = 0;
        for (i, incident) in self.incidents.0.iter_mut().enumerate() {
            if incident.campaign != campaign || !incident.is_open() {
                continue;
            }
            incident.contained_at = Some(now);
            incident.recovered_at = Some(now);
            let a = incident.asset.index();
            self.assets.damage[a] = 0.0;
            if self.assets.open_incident[a] == i as u32 {
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
        let c = &self.scenario.campaigns[campaign.index()];
        let (actor, origin) = (c.actor, c.origin);
        let mut stopped = 0;
        for (i, other) in self.scenario.campaigns.iter().enumerate() {
            if other.actor == actor && other.origin == origin {
                let running = self.campaigns.0[i].active();
                self.stop(CampaignIdx(i as u32), cause);
                stopped += usize::from(running);
            }
        }
        stopped
    }

    /// Stops a running campaign for `cause`, or keeps one that has not started from ever
    /// starting (a stopped one keeps its first cause).
    fn stop(&mut self, campaign: CampaignIdx, cause: StopCause) {
        let state = &mut self.campaigns.0[campaign.index()];
        if state.stopped_at.is_none() {
            state.stopped_at = Some(self.now);
            state.stopped_by = Some(cause);
        }
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
