//! Priority ranks: the open priorities keep dense ranks 1..n, so "rank 2" always means second
//! (docs/items.md). These rules say which ranks change; the application layer writes them.

use crate::{Item, Kind, Status};
use jiff::civil::Date;
use uuid::Uuid;

/// The open priorities in rank order (unranked last, then by id).
fn in_rank_order<'a>(items: impl IntoIterator<Item = &'a Item>) -> Vec<&'a Item> {
    let mut open: Vec<&Item> = items
        .into_iter()
        .filter(|i| i.kind == Kind::Priority && i.status == Status::Open)
        .collect();
    open.sort_by_key(|i| (i.rank.is_none(), i.rank, i.id));
    open
}

/// The rank after the last open priority.
pub fn next_rank<'a>(items: impl IntoIterator<Item = &'a Item>) -> i64 {
    items
        .into_iter()
        .filter(|i| i.kind == Kind::Priority && i.status == Status::Open)
        .filter_map(|i| i.rank)
        .max()
        .unwrap_or(0)
        + 1
}

/// The items whose rank changes when open priority `target` is put at `rank` (kept within
/// 1..=n) and the others shift to make room, each with its new rank and `ranked = today`.
/// `items` holds the open priorities (others are ignored), `target` among them.
pub fn place<'a>(
    items: impl IntoIterator<Item = &'a Item>,
    target: Uuid,
    rank: i64,
    today: Date,
) -> Vec<Item> {
    let open = in_rank_order(items);
    let Some(moved) = open.iter().find(|i| i.uuid == target).copied() else {
        return Vec::new();
    };
    let mut order: Vec<&Item> = open.into_iter().filter(|i| i.uuid != target).collect();
    let at = (rank.max(1) as usize - 1).min(order.len());
    order.insert(at, moved);
    renumber(order, today)
}

/// The items whose rank changes when the open priorities close the gap a finished or dropped
/// one left.
pub fn compact<'a>(items: impl IntoIterator<Item = &'a Item>, today: Date) -> Vec<Item> {
    renumber(in_rank_order(items), today)
}

fn renumber(order: Vec<&Item>, today: Date) -> Vec<Item> {
    order
        .into_iter()
        .enumerate()
        .filter(|(n, i)| i.rank != Some(*n as i64 + 1))
        .map(|(n, i)| {
            let mut i = i.clone();
            i.rank = Some(n as i64 + 1);
            i.ranked = Some(today);
            i
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Clock, ItemInput};

    fn priorities(n: i64) -> Vec<Item> {
        let c = Clock::fixed("2026-11-23").unwrap();
        (1..=n)
            .map(|r| {
                let mut i = Item::new(
                    Kind::Priority,
                    ItemInput {
                        title: Some(format!("p{r}")),
                        ..Default::default()
                    },
                    &c,
                    r,
                )
                .unwrap();
                i.id = r;
                i.ranked = None;
                i
            })
            .collect()
    }

    fn ranks(all: &[Item], changed: &[Item]) -> Vec<(String, i64)> {
        let mut out: Vec<(String, i64)> = all
            .iter()
            .map(|i| {
                let now = changed.iter().find(|c| c.uuid == i.uuid).unwrap_or(i);
                (now.title.clone(), now.rank.unwrap())
            })
            .collect();
        out.sort_by_key(|(_, r)| *r);
        out
    }

    #[test]
    fn placing_shifts_the_others_and_clamps() {
        let today = jiff::civil::date(2026, 11, 23);
        let p = priorities(3);
        let changed = place(&p, p[2].uuid, 1, today);
        assert_eq!(changed.len(), 3, "every rank moved");
        assert!(changed.iter().all(|i| i.ranked == Some(today)));
        let r = ranks(&p, &changed);
        assert_eq!(r, [("p3".into(), 1), ("p1".into(), 2), ("p2".into(), 3)]);
        let clamped = place(&p, p[0].uuid, 99, today);
        let r = ranks(&p, &clamped);
        assert_eq!(r, [("p2".into(), 1), ("p3".into(), 2), ("p1".into(), 3)]);
        assert!(place(&p, p[1].uuid, 2, today).is_empty(), "nothing moves");
        assert_eq!(next_rank(&p), 4);
    }

    #[test]
    fn compacting_closes_the_gap() {
        let today = jiff::civil::date(2026, 11, 23);
        let mut p = priorities(3);
        p[1].status = Status::Done;
        let changed = compact(&p, today);
        assert_eq!(changed.len(), 1);
        assert_eq!(
            (changed[0].title.as_str(), changed[0].rank),
            ("p3", Some(2))
        );
        assert_eq!(next_rank(&p), 4, "the last open rank is still 3");
    }
}
