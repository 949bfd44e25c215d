//! The canonical state hash: blake3 over every part of the state, written field by
//! field in a fixed order, numbers little-endian, `f64` as its bits, collections by
//! index. Two runs agree on the hash exactly when they agree on the state.

use std::fmt;

use bevy_ecs::world::World;

use crate::command::{Actor, Command, Recipient, Tlp};
use crate::outcomes::{Outcomes, Watches};
use crate::view::{Source, Stage};
use crate::world::{
    Assets, AssistanceRequests, Campaigns, Clock, Deliveries, Economies, Incidents, Injects,
    Messages, Progress, Rng, Tasks, Teams,
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

/// The hash of the whole state of `world` (and the seed it was built from).
pub fn state_hash(world: &World, seed: u64) -> StateHash {
    let mut c = Canon(blake3::Hasher::new());
    c.str("cyberdrill-state-v1");
    c.u64(seed);
    c.u32(world.resource::<Clock>().tick);
    c.u128(world.resource::<Rng>().0.word_pos());
    hash_assets(&mut c, world.resource::<Assets>());
    hash_economies(&mut c, world.resource::<Economies>());
    let campaigns = world.resource::<Campaigns>();
    c.len(campaigns.0.len());
    for s in &campaigns.0 {
        c.opt_u32(s.started_at);
        c.opt_u32(s.stopped_at);
        c.u8(s.stopped_by.map_or(0, |cause| cause as u8 + 1));
        c.len(s.taken_down.len());
        for e in &s.taken_down {
            c.u32(e.0);
        }
    }
    hash_incidents(&mut c, world.resource::<Incidents>());
    let teams = world.resource::<Teams>();
    c.len(teams.0.len());
    for t in &teams.0 {
        c.u32(t.analysts);
        c.u32(t.busy);
        c.u32(t.lent);
        c.u32(t.borrowed);
    }
    let tasks = world.resource::<Tasks>();
    c.len(tasks.0.len());
    for t in &tasks.0 {
        c.u32(t.id.0);
        c.u32(t.team.0);
        c.command(&t.command);
        c.u32(t.analysts);
        c.u32(t.started_at);
        c.u32(t.done_at);
        c.bool(t.finished);
        c.str(t.outcome.as_deref().unwrap_or(""));
    }
    let deliveries = world.resource::<Deliveries>();
    c.len(deliveries.0.len());
    for d in &deliveries.0 {
        c.u32(d.arrives_at);
        c.u32(d.incident.0);
        c.u32(d.from.0);
        c.u32(d.to.0);
        c.tlp(d.tlp);
        c.bool(d.delivered);
    }
    let messages = world.resource::<Messages>();
    c.len(messages.0.len());
    for m in &messages.0 {
        c.u32(m.tick);
        c.actor(m.from);
        c.recipient(m.to);
        c.str(&m.text);
    }
    let requests = world.resource::<AssistanceRequests>();
    c.len(requests.0.len());
    for r in &requests.0 {
        c.u32(r.from_team.0);
        c.u32(r.to.0);
        c.u32(r.analysts);
        c.u32(r.at);
        c.u32(r.provided);
    }
    let injects = world.resource::<Injects>();
    c.len(injects.0.len());
    for i in &injects.0 {
        c.opt_u32(i.fired_at);
        c.str(&i.headline);
        c.str(&i.text);
        c.bool(i.queued);
    }
    let progress = world.resource::<Progress>();
    c.len(progress.objective_ok_ticks.len());
    for &ok in &progress.objective_ok_ticks {
        c.u32(ok);
    }
    c.f64(progress.service_sum);
    c.f64(progress.service_now);
    let outcomes = world.resource::<Outcomes>();
    c.len(outcomes.0.len());
    for o in &outcomes.0 {
        c.u32(o.tick);
        // Plain data with a stable serde form, as commands.
        match serde_json::to_string(&o.what) {
            Ok(json) => c.str(&json),
            Err(_) => c.str("?"),
        }
    }
    let watches = world.resource::<Watches>();
    c.len(watches.0.len());
    for &w in &watches.0 {
        c.opt_u32(w);
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

fn hash_economies(c: &mut Canon, economies: &Economies) {
    c.len(economies.0.len());
    for e in &economies.0 {
        c.f64(e.trust);
        c.f64(e.awareness);
        c.f64(e.loss);
        c.f64(e.service);
        c.len(e.knows_campaign.len());
        for (&known, &disrupted) in e.knows_campaign.iter().zip(&e.disrupted) {
            c.bool(known);
            c.bool(disrupted);
        }
    }
}

fn hash_incidents(c: &mut Canon, incidents: &Incidents) {
    c.len(incidents.0.len());
    for i in &incidents.0 {
        c.u32(i.asset.0);
        c.u32(i.campaign.0);
        c.bool(i.hazard);
        c.u8(stage_code(i.stage));
        c.u32(i.started_at);
        c.u32(i.stage_entered_at);
        c.opt_u32(i.impacted_at);
        c.opt_u32(i.detected_at);
        c.opt_u32(i.contained_at);
        c.opt_u32(i.recovered_at);
        c.bool(i.investigated);
        c.len(i.known.len());
        for k in &i.known {
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
}

fn stage_code(stage: Stage) -> u8 {
    match stage {
        Stage::Reconnaissance => 0,
        Stage::InitialAccess => 1,
        Stage::Foothold => 2,
        Stage::Impact => 3,
    }
}
