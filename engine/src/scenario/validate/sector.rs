//! `[[sector]]`: sectors of critical infrastructure, each a template for its assets and
//! a share of every economy's output.

use super::super::model::Sector;
use super::super::spans::Seg::Key as K;
use super::defaults::default_output_share;
use super::{Validator, at};

/// Checks every sector's asset template and output share.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Sector> {
    let raw = cx.raw;
    raw.sectors
        .iter()
        .enumerate()
        .map(|(i, s)| {
            cx.check_asset_defaults("sector", Some(i), &[K("asset")], &s.asset);
            let output_share = s
                .output_share
                .unwrap_or_else(|| default_output_share(&s.id));
            cx.check_unit(
                at("sector", i, &[K("output_share")]),
                "output_share",
                output_share,
            );
            Sector {
                id: s.id.clone(),
                name: s.name.clone(),
                output_share: if output_share.is_finite() {
                    output_share.clamp(0.0, 1.0)
                } else {
                    0.0
                },
            }
        })
        .collect()
}
