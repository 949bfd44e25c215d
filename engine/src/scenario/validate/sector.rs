//! `[[sector]]`: sectors of critical infrastructure, each a template for its assets.

use super::super::model::Sector;
use super::super::spans::Seg::Key as K;
use super::Validator;

/// Checks every sector's asset template.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Sector> {
    let raw = cx.raw;
    raw.sectors
        .iter()
        .enumerate()
        .map(|(i, s)| {
            cx.check_asset_defaults("sector", Some(i), &[K("asset")], &s.asset);
            Sector {
                id: s.id.clone(),
                name: s.name.clone(),
            }
        })
        .collect()
}
