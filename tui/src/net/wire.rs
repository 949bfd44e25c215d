//! A view frame's JSON with the economies' public figures encoded once for every seat.
//!
//! Every seat's view carries every economy, and an economy the seat does not own looks
//! the same in all of them (its published figures and the same history points). With a
//! hundred seats and a hundred economies, encoding those parts once per view instead of
//! once per tick was most of a tick's encoding work. [`PublicEconomies`] keeps each
//! economy's public part encoded as the first view that carried it was; the views of
//! the same push copy those bytes. The bytes are exactly what `serde_json` writes for the
//! whole message (a test checks it), so clients see no difference.

use std::io::Write;
use std::sync::OnceLock;

use cyberdrill_engine::view::{EconomyView, View, Visibility};
use serde::Serialize;

/// The public parts of the economies as encoded for the views of one push (one tick's
/// state and one history window), filled as views are encoded. An economy whose public
/// part differs from the one encoded (the state moved on between two views sharing
/// the cache) is encoded again rather than copied, so sharing never changes a byte.
#[derive(Debug, Default)]
pub struct PublicEconomies {
    economies: Vec<OnceLock<(EconomyView, Vec<u8>)>>,
}

impl PublicEconomies {
    /// A cache for views of `economies` economies.
    pub fn new(economies: usize) -> Self {
        PublicEconomies {
            economies: (0..economies).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Writes `economy` as `serde_json` would, from the cache when it is public.
    fn write(&self, out: &mut Vec<u8>, economy: &EconomyView) -> serde_json::Result<()> {
        let cached = (economy.visibility == Visibility::Public)
            .then(|| self.economies.get(economy.idx.index()))
            .flatten()
            .map(|slot| {
                slot.get_or_init(|| {
                    let bytes = serde_json::to_vec(economy).unwrap_or_default();
                    (economy.clone(), bytes)
                })
            });
        match cached {
            Some((seen, bytes)) if seen == economy && !bytes.is_empty() => {
                out.extend_from_slice(bytes);
                Ok(())
            }
            _ => serde_json::to_writer(&mut *out, economy),
        }
    }
}

/// `{"type":"view","view":{...},"history_after":N}`: the bytes `serde_json` writes for
/// [`ServerMsg::View`](super::protocol::ServerMsg::View), the public economies copied
/// from `public`.
pub fn encode_view(
    view: &View,
    history_after: Option<u32>,
    public: &PublicEconomies,
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(br#"{"type":"view","view":"#);
    let mut fields = Fields::open(&mut out);
    // In the order of `View`'s fields, as its derived `Serialize` writes them.
    fields.field("viewer", &view.viewer)?;
    fields.field("title", &view.title)?;
    fields.field("briefing", &view.briefing)?;
    fields.field("tick", &view.tick)?;
    fields.field("duration_ticks", &view.duration_ticks)?;
    fields.field("tick_minutes", &view.tick_minutes)?;
    fields.field("time_label", &view.time_label)?;
    fields.field("my_team", &view.my_team)?;
    fields.field("teams", &view.teams)?;
    fields.field("sectors", &view.sectors)?;
    fields.key("economies");
    fields.out.push(b'[');
    for (i, economy) in view.economies.iter().enumerate() {
        if i > 0 {
            fields.out.push(b',');
        }
        public.write(fields.out, economy)?;
    }
    fields.out.push(b']');
    fields.field("assets", &view.assets)?;
    fields.field("incidents", &view.incidents)?;
    fields.field("campaigns", &view.campaigns)?;
    fields.field("tasks", &view.tasks)?;
    fields.field("analysts", &view.analysts)?;
    fields.field("messages", &view.messages)?;
    fields.field("injects", &view.injects)?;
    fields.field("objectives", &view.objectives)?;
    fields.field("assistance_requests", &view.assistance_requests)?;
    fields.field("decisions", &view.decisions)?;
    fields.close();
    if let Some(after) = history_after {
        out.extend_from_slice(br#","history_after":"#);
        write!(out, "{after}").map_err(serde_json::Error::io)?;
    }
    out.push(b'}');
    Ok(out)
}

/// A JSON object being written field by field.
struct Fields<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Fields<'a> {
    fn open(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        Fields { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !std::mem::replace(&mut self.first, false) {
            self.out.push(b',');
        }
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        self.key(key);
        serde_json::to_writer(&mut *self.out, value)
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::Simulation;
    use cyberdrill_engine::command::Actor;
    use cyberdrill_engine::policy::{self, Policy};
    use cyberdrill_engine::scenario::model::TeamIdx;
    use cyberdrill_engine::testkit::two_economies;
    use cyberdrill_engine::view::HistoryWindow;

    use super::*;
    use crate::net::protocol::{ServerMsg, encode};

    #[test]
    fn views_sharing_public_economies_encode_as_serde_writes_each_message() {
        let mut sim = Simulation::new(two_economies(), 4);
        for _ in 0..3 {
            policy::play_round(&mut sim, Policy::Cooperative);
            sim.step();
        }
        let teams = sim.scenario().teams.len() as u32;
        let viewers: Vec<Actor> = std::iter::once(Actor::Facilitator)
            .chain((0..teams).map(|t| Actor::Team(TeamIdx(t))))
            .collect();
        for (window, after) in [
            (HistoryWindow::Full, None),
            (HistoryWindow::After(1), Some(1)),
        ] {
            let public = PublicEconomies::new(sim.scenario().economies.len());
            for &viewer in &viewers {
                let view = sim.view_with(viewer, window);
                let bytes = encode_view(&view, after, &public).expect("encodes");
                let msg = ServerMsg::View {
                    view: Box::new(view),
                    history_after: after,
                };
                assert_eq!(
                    String::from_utf8_lossy(&bytes),
                    String::from_utf8_lossy(&encode(&msg)),
                    "{viewer:?}"
                );
            }
            assert!(
                public.economies.iter().all(|e| e.get().is_some()),
                "each economy is public to the teams of the other one"
            );
        }
    }

    #[test]
    fn a_public_economy_that_changed_since_it_was_cached_is_encoded_afresh() {
        let mut sim = Simulation::new(two_economies(), 4);
        let public = PublicEconomies::new(sim.scenario().economies.len());
        let before = sim.view_with(Actor::Team(TeamIdx(0)), HistoryWindow::Full);
        encode_view(&before, None, &public).expect("encodes");
        policy::play_round(&mut sim, Policy::Cooperative);
        sim.step();
        let after = sim.view_with(Actor::Team(TeamIdx(0)), HistoryWindow::Full);
        let bytes = encode_view(&after, None, &public).expect("encodes");
        let msg = ServerMsg::View {
            view: Box::new(after),
            history_after: None,
        };
        assert_eq!(bytes, encode(&msg).to_vec());
    }
}
