//! Team tasks: actions that took analysts and ticks complete, in acceptance order, and
//! change the world. What each does, and its source clause:
//!
//! - investigate: the campaign is identified and its indicators known at home (APEC 3).
//! - contain: the attack stops progressing and harming; a contained DDoS is over (APEC 3).
//! - restore: the asset's direct damage is repaired (from backups; APEC 3 recovery).
//! - harden sector: patching +15 and monitoring +10 on own assets of the sector (ITU
//!   GCA technical measures; APEC 4 critical infrastructure protection).
//! - coordinate operators: monitoring +15 and backups +10 on own private assets of the
//!   sector (APEC 4 public-private partnership).
//! - awareness campaign: awareness + 8 + 8 x capacity readiness, trust +2 (APEC 5).
//! - share indicators: deliveries scheduled after the agreement delay (APEC 7).
//! - request assistance: the request reaches the other economy's teams (APEC 7; ITU 2009).
//! - provide assistance: lent analysts leave their team at once and join the borrowing
//!   team after the assistance delay (none at home; the shortest assistance agreement
//!   covering both economies; else `assistance_delay_without_agreement`), work there
//!   12 ticks, then go back (APEC 3 "cooperative arrangements"; ITU 2009 "assist one
//!   and other ... in incident management").
//! - legal action, mutual legal assistance, takedown: where they reach the campaign, see
//!   [`super::enforcement`] (APEC 2; Budapest Convention; ITU 2009 legal measures).

use bevy_ecs::prelude::*;

use super::fraction;
use crate::command::{Actor, Command, IncidentId, Recipient};
use crate::outcomes::{Achieved, Outcomes};
use crate::scenario::model::{AgreementKind, CampaignKind, EconomyIdx, Operator, TeamIdx};
use crate::sim::rules::{agreement_delay, assistance_delay};
use crate::world::{
    Assets, AssistanceRequest, AssistanceRequests, Campaigns, Clock, Deliveries, Delivery,
    Economies, Incidents, Message, Messages, NO_INCIDENT, Rng, ScenarioData, Task, Tasks, Teams,
};

/// Completes every task due this tick, in task id order.
#[allow(clippy::too_many_arguments)]
pub fn progress_tasks(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    mut rng: ResMut<Rng>,
    mut tasks: ResMut<Tasks>,
    mut teams: ResMut<Teams>,
    mut incidents: ResMut<Incidents>,
    mut assets: ResMut<Assets>,
    mut economies: ResMut<Economies>,
    mut campaigns: ResMut<Campaigns>,
    mut deliveries: ResMut<Deliveries>,
    mut messages: ResMut<Messages>,
    mut requests: ResMut<AssistanceRequests>,
    mut outcomes: ResMut<Outcomes>,
) {
    let now = clock.tick;
    let mut world = TaskWorld {
        scenario: &scenario.0,
        now,
        rng: &mut rng,
        teams: &mut teams,
        incidents: &mut incidents,
        assets: &mut assets,
        economies: &mut economies,
        campaigns: &mut campaigns,
        deliveries: &mut deliveries,
        messages: &mut messages,
        requests: &mut requests,
        outcomes: &mut outcomes,
    };
    for task in tasks.0.iter().filter(|t| !t.finished) {
        world.arrive_lent_analysts(task);
    }
    for task in tasks.0.iter_mut() {
        if task.finished || task.done_at > now {
            continue;
        }
        task.finished = true;
        world.release_analysts(task);
        task.outcome = Some(world.complete(task.team, &task.command));
    }
}

/// The state a completing task may change.
pub(super) struct TaskWorld<'a> {
    pub(super) scenario: &'a crate::scenario::Scenario,
    pub(super) now: u32,
    pub(super) rng: &'a mut Rng,
    pub(super) teams: &'a mut Teams,
    pub(super) incidents: &'a mut Incidents,
    pub(super) assets: &'a mut Assets,
    pub(super) economies: &'a mut Economies,
    pub(super) campaigns: &'a mut Campaigns,
    pub(super) deliveries: &'a mut Deliveries,
    pub(super) messages: &'a mut Messages,
    pub(super) requests: &'a mut AssistanceRequests,
    pub(super) outcomes: &'a mut Outcomes,
}

impl TaskWorld<'_> {
    /// Analysts lent across a border join the borrowing team once the assistance delay
    /// has run (with no delay they joined when the loan was accepted).
    fn arrive_lent_analysts(&mut self, task: &Task) {
        let Command::ProvideAssistance { to, analysts } = task.command else {
            return;
        };
        let lender = self.scenario.teams[task.team.index()].economy;
        let borrower = self.scenario.teams[to.index()].economy;
        let delay = assistance_delay(self.scenario, lender, borrower);
        if delay > 0 && task.started_at + delay == self.now {
            self.teams.0[to.index()].borrowed += analysts;
            self.outcomes.record(
                self.now,
                Achieved::AssistanceDelivered {
                    from: lender,
                    to: borrower,
                    analysts,
                },
            );
        }
    }

    fn release_analysts(&mut self, task: &Task) {
        if let Command::ProvideAssistance { to, analysts } = task.command {
            let lender = &mut self.teams.0[task.team.index()];
            lender.lent = lender.lent.saturating_sub(analysts);
            let borrower = &mut self.teams.0[to.index()];
            borrower.borrowed = borrower.borrowed.saturating_sub(analysts);
        } else {
            let team = &mut self.teams.0[task.team.index()];
            team.busy = team.busy.saturating_sub(task.analysts);
        }
    }

    /// Applies a finished task's effect and says what happened.
    fn complete(&mut self, team: TeamIdx, command: &Command) -> String {
        let economy = self.scenario.teams[team.index()].economy;
        match command {
            Command::Investigate { incident } => self.investigate(*incident),
            Command::Contain { incident } => self.contain(*incident),
            Command::Restore { asset } => self.restore(asset.index()),
            Command::HardenSector { sector } => {
                let n = self.raise_posture(economy, sector.0, false, |p| {
                    p.patching = p.patching.saturating_add(15).min(100);
                    p.monitoring = p.monitoring.saturating_add(10).min(100);
                });
                format!("{n} asset(s) hardened")
            }
            Command::CoordinateOperators { sector } => {
                let n = self.raise_posture(economy, sector.0, true, |p| {
                    p.monitoring = p.monitoring.saturating_add(15).min(100);
                    p.backups = p.backups.saturating_add(10).min(100);
                });
                format!("{n} private operator asset(s) coordinated")
            }
            Command::AwarenessCampaign => {
                let state = &mut self.economies.0[economy.index()];
                let gain = 8.0 + 8.0 * fraction(state.readiness.capacity);
                state.awareness = (state.awareness + gain).min(100.0);
                state.trust = (state.trust + 2.0).min(100.0);
                format!("public awareness now {:.0}", state.awareness)
            }
            Command::ShareIndicators {
                incident,
                with,
                tlp,
            } => {
                let mut sent = 0;
                for to in with.iter().filter(|e| **e != economy) {
                    let delay = agreement_delay(
                        self.scenario,
                        AgreementKind::InformationSharing,
                        economy,
                        *to,
                        self.scenario.meta.sharing_delay_without_agreement,
                    );
                    self.deliveries.0.push(Delivery {
                        arrives_at: self.now + delay,
                        incident: *incident,
                        from: economy,
                        to: *to,
                        tlp: *tlp,
                        delivered: false,
                    });
                    sent += 1;
                }
                format!("indicators sent to {sent} economy(ies)")
            }
            Command::RequestAssistance { from, analysts } => {
                self.outcomes.record(
                    self.now,
                    Achieved::AssistanceRequested {
                        from: economy,
                        to: *from,
                    },
                );
                self.requests.0.push(AssistanceRequest {
                    from_team: team,
                    to: *from,
                    analysts: *analysts,
                    at: self.now,
                    provided: 0,
                });
                self.messages.0.push(Message {
                    tick: self.now,
                    from: Actor::Team(team),
                    to: Recipient::Economy(*from),
                    text: format!(
                        "Request for assistance: {analysts} analyst(s) needed by {}.",
                        self.scenario.teams[team.index()].name
                    ),
                });
                "request delivered".into()
            }
            Command::ProvideAssistance { analysts, .. } => {
                format!("{analysts} lent analyst(s) returned")
            }
            Command::LegalAction { incident } => self.legal_action(economy, *incident),
            Command::MutualLegalAssistance { incident, to } => {
                self.mutual_legal_assistance(economy, *incident, *to)
            }
            Command::Takedown { incident } => self.takedown(economy, *incident),
            Command::Message { .. }
            | Command::FireInject { .. }
            | Command::EditInject { .. }
            | Command::Broadcast { .. } => "done".into(),
        }
    }

    fn investigate(&mut self, id: IncidentId) -> String {
        let Some(incident) = self.incidents.0.get_mut(id.0 as usize) else {
            return "incident vanished".into();
        };
        incident.investigated = true;
        self.economies.0[incident.economy.index()].knows_campaign[incident.campaign.index()] = true;
        let campaign = &self.scenario.campaigns[incident.campaign.index()];
        format!("identified: {}", campaign.name)
    }

    fn contain(&mut self, id: IncidentId) -> String {
        let now = self.now;
        let Some(incident) = self.incidents.0.get_mut(id.0 as usize) else {
            return "incident vanished".into();
        };
        if !incident.is_open() {
            return "already closed".into();
        }
        incident.contained_at = Some(now);
        let a = incident.asset.index();
        if self.assets.open_incident[a] == id.0 {
            self.assets.open_incident[a] = NO_INCIDENT;
        }
        if incident.kind == CampaignKind::Ddos && incident.impacted_at.is_some() {
            self.assets.damage[a] = 0.0;
            incident.recovered_at = Some(now);
            return "contained; traffic scrubbed, service returning".into();
        }
        if incident.impacted_at.is_some() {
            "contained; the asset still needs restoring".into()
        } else {
            "contained before impact".into()
        }
    }

    fn restore(&mut self, a: usize) -> String {
        let now = self.now;
        self.assets.damage[a] = 0.0;
        let open = self.assets.open_incident[a];
        let mut recovered = 0;
        for (id, incident) in self.incidents.0.iter_mut().enumerate() {
            let closable = incident.contained_at.is_some() || incident.hazard;
            if incident.asset.index() == a
                && incident.impacted_at.is_some()
                && incident.recovered_at.is_none()
                && closable
            {
                incident.recovered_at = Some(now);
                recovered += 1;
                if open == id as u32 {
                    self.assets.open_incident[a] = NO_INCIDENT;
                }
            }
        }
        format!("service restored; {recovered} incident(s) recovered")
    }

    /// Applies `raise` to the posture of the economy's assets in a sector.
    fn raise_posture(
        &mut self,
        economy: EconomyIdx,
        sector: u32,
        private_only: bool,
        raise: impl Fn(&mut crate::scenario::model::Posture),
    ) -> usize {
        let mut count = 0;
        for i in 0..self.assets.len() {
            if self.assets.economy[i] == economy.0
                && self.assets.sector[i] == sector
                && (!private_only || self.scenario.assets[i].operator == Operator::Private)
            {
                raise(&mut self.assets.posture[i]);
                count += 1;
            }
        }
        count
    }
}
