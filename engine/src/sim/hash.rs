//! The canonical state hash: blake3 over every part of the state, written field by
//! field in a fixed order, numbers little-endian, `f64` as its bits, collections by
//! index. Two runs agree on the hash exactly when they agree on the state.

use std::fmt;

use bevy_ecs::prelude::*;
use bevy_ecs::query::{QueryData, QueryFilter, ROQueryItem};
use bevy_ecs::system::SystemParam;

use crate::command::{Actor, Command, IncidentId, Recipient, TaskId, Tlp};
use crate::decisions::{DecisionPoints, RansomPolicies};
use crate::outcomes::{Outcomes, Watches};
use crate::scenario::model::{CampaignIdx, EconomyIdx, InjectIdx, TeamIdx};
use crate::view::{Source, Stage};
use crate::world::{
    Activity, Assets, Assignment, AssistanceRequest, Awareness, Clock, Delivered, DeliveryId,
    Disrupted, Done, Firing, Ids, IncidentRecord, Indicators, Key, Loss, Message, MessageId,
    Progress, RequestId, Rng, Service, Shipment, Staff, TakenDown, Trust, Wording,
};

/// A blake3 digest of the canonical state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateHash(pub [u8; 32]);

impl StateHash {
    /// 64 lowercase hex characters.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Display for StateHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl serde::Serialize for StateHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

/// Canonical writer over a blake3 hasher.
struct Canon(blake3::Hasher);

impl Canon {
    fn u8(&mut self, v: u8) {
        self.0.update(&[v]);
    }
    fn u32(&mut self, v: u32) {
        self.0.update(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.update(&v.to_le_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.0.update(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }
    fn opt_u32(&mut self, v: Option<u32>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.u32(x);
            }
        }
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.update(s.as_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn actor(&mut self, a: Actor) {
        match a {
            Actor::Facilitator => self.u8(0),
            Actor::Team(t) => {
                self.u8(1);
                self.u32(t.0);
            }
        }
    }
    fn recipient(&mut self, r: Recipient) {
        match r {
            Recipient::Team(t) => {
                self.u8(0);
                self.u32(t.0);
            }
            Recipient::Economy(e) => {
                self.u8(1);
                self.u32(e.0);
            }
            Recipient::Facilitator => self.u8(2),
            Recipient::All => self.u8(3),
        }
    }
    fn tlp(&mut self, t: Tlp) {
        self.u8(t as u8);
    }
    fn command(&mut self, c: &Command) {
        // Commands are plain data with a stable serde form; JSON of a command is canonical
        // (fields in declaration order, no maps).
        match serde_json::to_string(c) {
            Ok(json) => self.str(&json),
            Err(_) => self.str(c.label()),
        }
    }
}

/// Read access to every part of the state, for the hash.
#[derive(SystemParam)]
pub struct StateParts<'w, 's> {
    clock: Res<'w, Clock>,
    rng: Res<'w, Rng>,
    assets: Res<'w, Assets>,
    progress: Res<'w, Progress>,
    economy_ids: Res<'w, Ids<EconomyIdx>>,
    economies: Query<
        'w,
        's,
        (
            &'static Trust,
            &'static Awareness,
            &'static Loss,
            &'static Service,
            &'static Indicators,
            &'static Disrupted,
        ),
    >,
    campaign_ids: Res<'w, Ids<CampaignIdx>>,
    campaigns: Query<'w, 's, (&'static Activity, &'static TakenDown)>,
    incident_ids: Res<'w, Ids<IncidentId>>,
    incidents: Query<'w, 's, IncidentRecord>,
    team_ids: Res<'w, Ids<TeamIdx>>,
    teams: Query<'w, 's, &'static Staff>,
    task_ids: Res<'w, Ids<TaskId>>,
    tasks: Query<'w, 's, (&'static Assignment, Option<&'static Done>)>,
    delivery_ids: Res<'w, Ids<DeliveryId>>,
    deliveries: Query<'w, 's, (&'static Shipment, Has<Delivered>)>,
    message_ids: Res<'w, Ids<MessageId>>,
    messages: Query<'w, 's, &'static Message>,
    request_ids: Res<'w, Ids<RequestId>>,
    requests: Query<'w, 's, &'static AssistanceRequest>,
    inject_ids: Res<'w, Ids<InjectIdx>>,
    injects: Query<'w, 's, (&'static Firing, &'static Wording)>,
    outcomes: Res<'w, Outcomes>,
    watches: Res<'w, Watches>,
    decision_points: Res<'w, DecisionPoints>,
    ransom_policies: Res<'w, RansomPolicies>,
}

/// The items of one kind of entity, in id order.
fn in_order<'a, 's, K: Key, D: QueryData, F: QueryFilter>(
    ids: &'a Ids<K>,
    query: &'a Query<'_, 's, D, F>,
) -> Vec<ROQueryItem<'a, 's, D>> {
    ids.iter().filter_map(|(_, e)| query.get(e).ok()).collect()
}

/// The hash of the whole state (and the seed it was built from).
pub fn state_hash(parts: &StateParts, seed: u64) -> StateHash {
    let mut c = Canon(blake3::Hasher::new());
    c.str("cyberdrill-state-v1");
    c.u64(seed);
    c.u32(parts.clock.tick);
    c.u128(parts.rng.0.word_pos());
    hash_assets(&mut c, &parts.assets);
    let economies = in_order(&parts.economy_ids, &parts.economies);
    c.len(economies.len());
    for (trust, awareness, loss, service, indicators, disrupted) in economies {
        c.f64(trust.0);
        c.f64(awareness.0);
        c.f64(loss.0);
        c.f64(service.0);
        c.len(indicators.0.len());
        for (&known, &disrupted) in indicators.0.iter().zip(&disrupted.0) {
            c.bool(known);
            c.bool(disrupted);
        }
    }
    let campaigns = in_order(&parts.campaign_ids, &parts.campaigns);
    c.len(campaigns.len());
    for (s, taken_down) in campaigns {
        c.opt_u32(s.started_at);
        c.opt_u32(s.stopped_at);
        c.u8(s.stopped_by.map_or(0, |cause| cause as u8 + 1));
        c.len(taken_down.0.len());
        for e in &taken_down.0 {
            c.u32(e.0);
        }
    }
    let incidents = in_order(&parts.incident_ids, &parts.incidents);
    c.len(incidents.len());
    for i in incidents {
        c.u32(i.hit.asset.0);
        c.u32(i.hit.campaign.0);
        c.bool(i.hit.hazard);
        c.u8(stage_code(i.intrusion.stage));
        c.u32(i.intrusion.started_at);
        c.u32(i.intrusion.stage_entered_at);
        c.opt_u32(i.impacted_at());
        c.opt_u32(i.detected_at());
        c.opt_u32(i.contained_at());
        c.opt_u32(i.recovered_at());
        c.bool(i.investigated);
        c.len(i.known.0.len());
        for k in &i.known.0 {
            c.u32(k.economy.0);
            c.u32(k.at);
            match k.source {
                Source::Own => c.u8(0),
                Source::SharedBy { economy, tlp } => {
                    c.u8(1);
                    c.u32(economy.0);
                    c.tlp(tlp);
                }
            }
        }
    }
    let teams = in_order(&parts.team_ids, &parts.teams);
    c.len(teams.len());
    for t in teams {
        c.u32(t.analysts);
        c.u32(t.busy);
        c.u32(t.lent);
        c.u32(t.borrowed);
    }
    c.len(parts.task_ids.len());
    for (id, entity) in parts.task_ids.iter() {
        let Ok((t, done)) = parts.tasks.get(entity) else {
            continue;
        };
        c.u32(id.0);
        c.u32(t.team.0);
        c.command(&t.command);
        c.u32(t.analysts);
        c.u32(t.started_at);
        c.u32(t.done_at);
        c.bool(done.is_some());
        c.str(done.map_or("", |d| d.outcome.as_str()));
    }
    let deliveries = in_order(&parts.delivery_ids, &parts.deliveries);
    c.len(deliveries.len());
    for (d, delivered) in deliveries {
        c.u32(d.arrives_at);
        c.u32(d.incident.0);
        c.u32(d.from.0);
        c.u32(d.to.0);
        c.tlp(d.tlp);
        c.bool(delivered);
    }
    let messages = in_order(&parts.message_ids, &parts.messages);
    c.len(messages.len());
    for m in messages {
        c.u32(m.tick);
        c.actor(m.from);
        c.recipient(m.to);
        c.str(&m.text);
    }
    let requests = in_order(&parts.request_ids, &parts.requests);
    c.len(requests.len());
    for r in requests {
        c.u32(r.from_team.0);
        c.u32(r.to.0);
        c.u32(r.analysts);
        c.u32(r.at);
        c.u32(r.provided);
    }
    let injects = in_order(&parts.inject_ids, &parts.injects);
    c.len(injects.len());
    for (firing, wording) in injects {
        c.opt_u32(firing.fired_at);
        c.str(&wording.headline);
        c.str(&wording.text);
        c.bool(firing.queued);
    }
    let progress = &parts.progress;
    c.len(progress.objective_ok_ticks.len());
    for &ok in &progress.objective_ok_ticks {
        c.u32(ok);
    }
    c.f64(progress.service_sum);
    c.f64(progress.service_now);
    c.len(parts.outcomes.0.len());
    for o in &parts.outcomes.0 {
        c.u32(o.tick);
        // Plain data with a stable serde form, as commands.
        match serde_json::to_string(&o.what) {
            Ok(json) => c.str(&json),
            Err(_) => c.str("?"),
        }
    }
    c.len(parts.watches.0.len());
    for &w in &parts.watches.0 {
        c.opt_u32(w);
    }
    c.len(parts.decision_points.0.len());
    for d in &parts.decision_points.0 {
        c.opt_u32(d.offered_at);
        match d.settled {
            None => c.u8(0),
            Some(s) => {
                c.u8(1);
                c.u32(s.option);
                c.opt_u32(s.by.map(|t| t.0));
                c.u32(s.at);
                c.bool(s.applied);
            }
        }
    }
    c.len(parts.ransom_policies.0.len());
    for r in &parts.ransom_policies.0 {
        c.u32(r.economy.0);
        c.opt_u32(r.campaign.map(|x| x.0));
        c.u8(r.policy as u8);
        c.u32(r.at);
    }
    StateHash(*c.0.finalize().as_bytes())
}

fn hash_assets(c: &mut Canon, assets: &Assets) {
    c.len(assets.len());
    for i in 0..assets.len() {
        let p = assets.posture[i];
        c.u8(p.patching);
        c.u8(p.monitoring);
        c.u8(p.backups);
        c.f64(assets.inoperability[i]);
        c.f64(assets.damage[i]);
        c.u32(assets.open_incident[i]);
    }
}

fn stage_code(stage: Stage) -> u8 {
    match stage {
        Stage::Reconnaissance => 0,
        Stage::InitialAccess => 1,
        Stage::Foothold => 2,
        Stage::Impact => 3,
    }
}
