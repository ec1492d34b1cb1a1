//! The shared 1:1 spaces, below their pages and API (docs/server.md, "Spaces"): who may see a
//! space, its status as read (an invitation expires after 30 days), the members as
//! upward-space sees them, and the one way content is written: operations built by
//! upward-space, admitted, appended to the space's log and folded into its records in the
//! same transaction.
//!
//! A caller who is not a member of a space gets [`not_found`] for it: the same answer as for
//! a space that does not exist, so that nothing tells whether it does.

use crate::error::ServerError;
use crate::state::AppState;
use jiff::{Timestamp, ToSpan};
use std::sync::{Arc, Mutex};
use upward_server_store::{Account, OpRow, RecordRow, ServerTx, Space, SpaceHead, email_key};
use upward_space::view::Space as SpaceView;
use upward_space::{Hlc, Ids, Member, Members, Op, OpContext, Record, Role, SpaceError, admit};
use uuid::Uuid;

/// How long an invitation waits for an answer.
pub const INVITATION_DAYS: i64 = 30;

/// The setting that keeps the last hybrid logical clock the server's device gave out, so that
/// its clock keeps increasing across restarts.
pub const CLOCK_SETTING: &str = "server_hlc";

/// The answer for a space the caller may not see, and for one that does not exist: the same.
pub fn not_found() -> ServerError {
    ServerError::not_found("no such space — GET /api/v1/spaces lists yours")
}

/// The space's status as the caller reads it: an invitation older than 30 days is `expired`.
pub fn status_at(space: &Space, now: Timestamp) -> &str {
    if space.status == "invited" && now >= expires_at(space) {
        "expired"
    } else {
        &space.status
    }
}

/// When an invitation expires.
pub fn expires_at(space: &Space) -> Timestamp {
    space
        .created_at
        .checked_add((INVITATION_DAYS * 24).hours())
        .unwrap_or(space.created_at)
}

/// Whether `account` is the space's invitee: by account once accepted, by email until then.
pub fn is_invitee(space: &Space, account: &Account) -> bool {
    match space.invitee {
        Some(id) => id == account.id,
        None => email_key(&space.invitee_email) == email_key(&account.email),
    }
}

/// Whether `account` may see the space at all.
pub fn is_member(space: &Space, account: &Account) -> bool {
    space.inviter == account.id || is_invitee(space, account)
}

/// The space `id` (as typed in a path) if `account` is a member, else [`not_found`].
pub fn space_of(tx: &mut dyn ServerTx, id: &str, account: &Account) -> Result<Space, ServerError> {
    let id: Uuid = id.trim().parse().map_err(|_| not_found())?;
    match tx.space(id)? {
        Some(s) if is_member(&s, account) => Ok(s),
        _ => Err(not_found()),
    }
}

/// The roles: the inviter's as invited, the invitee's its counterpart.
pub fn roles(space: &Space) -> (Role, Role) {
    let inviter: Role = space.inviter_role.parse().unwrap_or(Role::Peer);
    (inviter, inviter.counterpart())
}

/// Both members of an accepted space, the caller first, as upward-space sees them.
pub fn members(tx: &mut dyn ServerTx, space: &Space, me: &Account) -> Result<Members, ServerError> {
    let (inviter_role, invitee_role) = roles(space);
    let invitee = space
        .invitee
        .ok_or_else(|| ServerError::conflict("the invitation has not been accepted yet"))?;
    let member = |tx: &mut dyn ServerTx, id: Uuid, role: Role| -> Result<Member, ServerError> {
        let a = tx
            .account(id)?
            .ok_or_else(|| ServerError::internal(format!("a member's account {id} is missing")))?;
        Ok(Member {
            account: a.id,
            email: a.email,
            name: a.name,
            role,
        })
    };
    let inviter = member(tx, space.inviter, inviter_role)?;
    let invitee = member(tx, invitee, invitee_role)?;
    Ok(if me.id == inviter.account {
        Members {
            me: inviter,
            other: invitee,
        }
    } else {
        Members {
            me: invitee,
            other: inviter,
        }
    })
}

/// A space whose content the caller may read: active or closed.
pub fn readable(space: &Space, now: Timestamp) -> Result<(), ServerError> {
    match status_at(space, now) {
        "active" | "closed" => Ok(()),
        other => Err(ServerError::conflict(format!(
            "the space is {other}, not active — its content opens once the invitation is accepted"
        ))),
    }
}

/// A space the caller may write to: active (a closed space is read-only).
pub fn writable(space: &Space, now: Timestamp) -> Result<(), ServerError> {
    match status_at(space, now) {
        "active" => Ok(()),
        "closed" => Err(ServerError::conflict(
            "the space is closed: read-only for both members (export still works)",
        )),
        other => Err(ServerError::conflict(format!(
            "the space is {other}, not active — its content opens once the invitation is accepted"
        ))),
    }
}

/// The space's records, folded, as upward-space's view.
pub fn load(tx: &mut dyn ServerTx, space: Uuid) -> Result<SpaceView, ServerError> {
    let rows = tx.records(space)?;
    SpaceView::from_states(space, rows.iter().map(|r| (r.seq, r.state.as_slice())))
        .map_err(stored_error)
}

/// A stored record or operation that does not read back: the server's fault, never the
/// request's. Logged; a 500 without the details.
pub fn stored_error(e: SpaceError) -> ServerError {
    eprintln!("upward server: a space's stored state does not read back: {e}");
    ServerError::internal("a space's stored state could not be read — the operator's log says why")
}

/// What a builder refused, with its status: bad input 400, a record not there 404, not the
/// author 403.
pub fn space_error(e: SpaceError) -> ServerError {
    match e {
        SpaceError::Invalid(m) => ServerError::bad_request(m),
        SpaceError::NotFound(m) => ServerError::not_found(m),
        SpaceError::Forbidden(m) => ServerError::forbidden(m),
        // An operation a builder made that its own check refuses: bad input that got past
        // the builder's validation, so still the request's.
        SpaceError::Decode(m) => ServerError::bad_request(m),
    }
}

/// The last clock the server's device gave out in this process: builds are serialized on
/// it, so that the device's clock strictly increases even with writers at once.
static LAST_CLOCK: Mutex<Hlc> = Mutex::new(Hlc::ZERO);

fn wall_ms() -> u64 {
    u64::try_from(Timestamp::now().as_millisecond()).unwrap_or(0)
}

/// Builds a member's change with `build` over the space as stored, then admits, appends and
/// folds each operation, all in the caller's transaction. The operations (empty: nothing
/// changed).
pub fn write_ops(
    tx: &mut dyn ServerTx,
    state: &AppState,
    space: Uuid,
    author: &Account,
    build: impl FnOnce(&mut OpContext, &SpaceView) -> Result<Vec<Op>, SpaceError>,
) -> Result<Vec<Op>, ServerError> {
    let view = load(tx, space)?;
    let stored: Hlc = tx
        .setting(CLOCK_SETTING)?
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(Hlc::ZERO, Hlc);
    let today = state.clock_for(author).today;
    let ops = {
        let mut last = LAST_CLOCK.lock().unwrap_or_else(|p| p.into_inner());
        let mut ctx = OpContext {
            space,
            author: author.id,
            device: state.device,
            today,
            last: (*last).max(stored),
            wall_ms: wall_ms(),
            ids: Ids::Random,
        };
        let ops = build(&mut ctx, &view).map_err(space_error)?;
        *last = ctx.last;
        ops
    };
    for op in &ops {
        append(tx, space, op)?;
    }
    if let Some(last) = ops.iter().map(|o| o.clock).max() {
        tx.set_setting(CLOCK_SETTING, &last.0.max(stored.0).to_string())?;
    }
    Ok(ops)
}

/// Admits one operation against its record as stored, appends it to the log and stores the
/// folded record (a new record's seq is its first operation's position).
fn append(tx: &mut dyn ServerTx, space: Uuid, op: &Op) -> Result<(), ServerError> {
    append_payload(tx, space, op, op.payload_bytes()).map(|_| ())
}

/// [`append`] with the payload stored as the given bytes (a pushed operation's, exactly as
/// its device sent them: the server never rewrites a payload). Its position.
pub fn append_payload(
    tx: &mut dyn ServerTx,
    space: Uuid,
    op: &Op,
    payload: Vec<u8>,
) -> Result<i64, ServerError> {
    let row = tx.record(space, op.record)?;
    let before = row
        .as_ref()
        .map(|r| Record::from_bytes(&r.state))
        .transpose()
        .map_err(stored_error)?;
    let folded = admit(before.as_ref(), op).map_err(space_error)?;
    let e = op.envelope();
    let positions = tx.append_ops(
        space,
        &[OpRow {
            space,
            position: 0,
            id: e.id,
            record: e.record,
            record_type: e.record_type.as_str().to_string(),
            action: e.action.as_str().to_string(),
            author: e.author,
            device: e.device,
            clock: e.clock.0,
            protocol: i32::from(e.protocol),
            payload,
        }],
    )?;
    let position = positions
        .first()
        .copied()
        .ok_or_else(|| ServerError::internal("the log gave no position"))?;
    tx.put_record(&RecordRow {
        space,
        id: op.record,
        record_type: op.record_type.as_str().to_string(),
        seq: row.map_or(position, |r| r.seq),
        removed: folded.is_removed(),
        state: folded.to_bytes(),
    })?;
    Ok(position)
}

/// The server's device has seen `remote` (the greatest clock of a push): its clock moves past
/// it, so that what its pages write afterwards sorts after what was pushed.
pub fn observe_clock(tx: &mut dyn ServerTx, remote: Hlc) -> Result<(), ServerError> {
    let stored: Hlc = tx
        .setting(CLOCK_SETTING)?
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(Hlc::ZERO, Hlc);
    let next = {
        let mut last = LAST_CLOCK.lock().unwrap_or_else(|p| p.into_inner());
        *last = Hlc::observe((*last).max(stored), remote, wall_ms());
        *last
    };
    tx.set_setting(CLOCK_SETTING, &next.0.to_string())?;
    Ok(())
}

/// A record of the space by what a member types: its seq (`3`) or its UUID.
pub fn resolve(view: &SpaceView, id: &str) -> Result<Uuid, ServerError> {
    let gone = || {
        ServerError::not_found(format!(
            "no item `{}` in this space — give its id (a number) or its uuid, as GET …/items lists them",
            id.escape_debug()
        ))
    };
    let id = id.trim();
    let found = if let Ok(seq) = id.parse::<i64>() {
        view.by_seq(seq).map(|r| r.record.id)
    } else if let Ok(u) = id.parse::<Uuid>() {
        view.get(u).map(|r| r.record.id)
    } else {
        None
    };
    found
        .filter(|u| view.record(*u).is_some_and(Record::is_visible))
        .ok_or_else(gone)
}

/// Checks an email as typed in an invitation: one address, `name@host`, nothing else.
pub fn check_email(email: &str) -> Result<String, ServerError> {
    let e = email.trim();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, host)| {
            !local.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
        })
        && e.matches('@').count() == 1
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c));
    if ok {
        Ok(e.to_string())
    } else {
        Err(ServerError::bad_request(format!(
            "`{}` is not an email address — accepted: one address such as dana@example.com",
            e.chars().take(80).collect::<String>().escape_debug()
        )))
    }
}

/// Checks a role as typed: report, manager or peer.
pub fn check_role(role: Option<&str>) -> Result<Role, ServerError> {
    match role.map(str::trim) {
        None | Some("") => Ok(Role::Peer),
        Some(r) => r.parse().map_err(|_| {
            ServerError::bad_request(format!(
                "`{}` is not a role — accepted: report, manager or peer (yours in the space)",
                r.chars().take(40).collect::<String>().escape_debug()
            ))
        }),
    }
}

/// Invites `email` to a new space with `inviter` in `role`. Refused: the caller's own email
/// (400), a pair that already has a space (409).
pub async fn invite(
    state: &Arc<AppState>,
    inviter: &Account,
    email: &str,
    role: Role,
) -> Result<Space, ServerError> {
    let email = check_email(email)?;
    if email_key(&email) == email_key(&inviter.email) {
        return Err(ServerError::bad_request(
            "that is your own email — a space is between you and someone else",
        ));
    }
    let now = state.clock.now();
    let space = Space {
        id: Uuid::new_v4(),
        status: "invited".into(),
        inviter: inviter.id,
        inviter_role: role.as_str().to_string(),
        invitee_email: email,
        invitee: None,
        created_at: now,
        changed_at: now,
    };
    let s = space.clone();
    state
        .write(move |tx| match tx.insert_space(&s) {
            Err(upward_server_store::StoreError::Conflict(_)) => Err(ServerError::conflict(
                "you already have a space with this person (invited, active or closed) — at most one space per pair; see GET /api/v1/spaces",
            )),
            other => Ok(other?),
        })
        .await?;
    Ok(space)
}

/// What a member does to a space as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Accept,
    Decline,
    Cancel,
    Close,
    Delete,
}

/// Applies a move by `caller` to the space `id` (as typed), checking who may and when.
pub async fn apply_move(
    state: &Arc<AppState>,
    caller: &Account,
    id: &str,
    mv: Move,
) -> Result<Space, ServerError> {
    let me = caller.clone();
    let id = id.to_string();
    let now = state.clock.now();
    state
        .write(move |tx| {
            let mut space = space_of(tx, &id, &me)?;
            let status = status_at(&space, now).to_string();
            let invitee = is_invitee(&space, &me);
            let refuse = |why: &str| Err(ServerError::conflict(format!("the space is {status}: {why}")));
            match mv {
                Move::Accept | Move::Decline => {
                    if !invitee {
                        return Err(ServerError::forbidden(
                            "only the invited member answers an invitation — you may cancel it",
                        ));
                    }
                    if status != "invited" {
                        return refuse("only a pending invitation is answered");
                    }
                    if mv == Move::Accept {
                        space.status = "active".into();
                        space.invitee = Some(me.id);
                    } else {
                        space.status = "declined".into();
                    }
                }
                Move::Cancel => {
                    if invitee {
                        return Err(ServerError::forbidden(
                            "only the member who invited cancels an invitation — you may decline it",
                        ));
                    }
                    if status != "invited" {
                        return refuse("only a pending invitation is cancelled");
                    }
                    space.status = "cancelled".into();
                }
                Move::Close => {
                    if status != "active" {
                        return refuse("only an active space is closed");
                    }
                    space.status = "closed".into();
                }
                Move::Delete => {
                    if status == "active" || status == "invited" {
                        return refuse(
                            "close it first (POST …/close; an invitation: cancel or decline it)",
                        );
                    }
                    tx.delete_space(space.id)?;
                    return Ok(space);
                }
            }
            space.changed_at = now;
            tx.update_space(&space)?;
            Ok(space)
        })
        .await
}

/// One space in a list, as its member may see it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub space: Space,
    pub status: String,
    /// Both members, the inviter first: (email, name — hidden until accepted for the invitee).
    pub members: Vec<(String, Option<String>)>,
    pub my_role: Role,
    pub other_role: Role,
    /// Whether the caller is the one invited (answers the invitation).
    pub invited_me: bool,
    /// Both members' accounts, in the order of `members` (the invitee's `None` until they
    /// accept).
    pub accounts: [Option<Uuid>; 2],
}

impl Listed {
    /// The other member, as shown: "Name (email)" or the email alone.
    pub fn other(&self, me: &Account) -> String {
        let other = self
            .members
            .iter()
            .find(|(e, _)| email_key(e) != email_key(&me.email))
            .or(self.members.first());
        match other {
            Some((e, Some(n))) => format!("{n} ({e})"),
            Some((e, None)) => e.clone(),
            None => String::new(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.space.id,
            "members": self.members.iter().zip(self.accounts).map(|((e, n), a)| serde_json::json!({"email": e, "name": n, "account": a})).collect::<Vec<_>>(),
            "status": self.status,
            "roles": {"me": self.my_role, "other": self.other_role},
            "created": crate::api::time(self.space.created_at),
            "expires": (self.status == "invited").then(|| crate::api::time(expires_at(&self.space))),
        })
    }
}

/// A space as listed for `me`.
pub fn listed(
    tx: &mut dyn ServerTx,
    space: Space,
    me: &Account,
    now: Timestamp,
) -> Result<Listed, ServerError> {
    let (inviter_role, invitee_role) = roles(&space);
    let status = status_at(&space, now).to_string();
    let inviter = tx.account(space.inviter)?;
    let accepted = matches!(status.as_str(), "active" | "closed");
    let invitee = match space.invitee {
        Some(id) if accepted => tx.account(id)?,
        _ => None,
    };
    let accounts = [
        inviter.as_ref().map(|a| a.id),
        invitee.as_ref().map(|a| a.id),
    ];
    let members = vec![
        inviter.map_or(("(a removed account)".to_string(), None), |a| {
            (a.email, Some(a.name))
        }),
        invitee.map_or((space.invitee_email.clone(), None), |a| {
            (a.email, Some(a.name))
        }),
    ];
    let invited_me = space.inviter != me.id;
    let (my_role, other_role) = if invited_me {
        (invitee_role, inviter_role)
    } else {
        (inviter_role, invitee_role)
    };
    Ok(Listed {
        space,
        status,
        members,
        my_role,
        other_role,
        invited_me,
        accounts,
    })
}

/// A space as listed for `me`, from its head (no query): [`listed`]'s answer.
pub fn listed_of_head(h: &SpaceHead, me: &Account, now: Timestamp) -> Listed {
    let space = h.space.clone();
    let (inviter_role, invitee_role) = roles(&space);
    let status = status_at(&space, now).to_string();
    let accepted = matches!(status.as_str(), "active" | "closed");
    let members = vec![
        h.inviter
            .as_ref()
            .map_or(("(a removed account)".to_string(), None), |a| {
                (a.email.clone(), Some(a.name.clone()))
            }),
        match &h.invitee {
            Some(a) if accepted => (a.email.clone(), Some(a.name.clone())),
            _ => (space.invitee_email.clone(), None),
        },
    ];
    let accounts = [
        h.inviter.as_ref().map(|a| a.id),
        h.invitee.as_ref().filter(|_| accepted).map(|a| a.id),
    ];
    let invited_me = space.inviter != me.id;
    let (my_role, other_role) = if invited_me {
        (invitee_role, inviter_role)
    } else {
        (inviter_role, invitee_role)
    };
    Listed {
        space,
        status,
        members,
        my_role,
        other_role,
        invited_me,
        accounts,
    }
}

/// Every space of `me`, newest first.
pub async fn list(state: &Arc<AppState>, me: &Account) -> Result<Vec<Listed>, ServerError> {
    let me = me.clone();
    let now = state.clock.now();
    state
        .read(move |tx| {
            let spaces = tx.spaces_of(me.id, &me.email)?;
            spaces
                .into_iter()
                .filter(|s| is_member(s, &me))
                .map(|s| listed(tx, s, &me, now))
                .collect()
        })
        .await
}

/// Reads a space's content for a member: the space, both members and the folded records
/// (through the read cache: [`read_cached`]).
pub async fn read_space(
    state: &Arc<AppState>,
    caller: &Account,
    id: &str,
) -> Result<(Space, Members, Arc<SpaceView>), ServerError> {
    let r = read_cached(state, caller, id).await?;
    Ok((r.space, r.members, r.view))
}

/// A space's content as a member reads it, with the head of the log it is of (what derived
/// values are cached under).
pub struct SpaceRead {
    pub space: Space,
    pub members: Members,
    pub head: i64,
    pub view: Arc<SpaceView>,
}

/// Reads a space's content for a member in one read transaction: one query for the space,
/// its log's head and both members' names ([`ServerTx::space_head`]); the records are read
/// and decoded only when the cache holds no view of that head (crate::cache).
pub async fn read_cached(
    state: &Arc<AppState>,
    caller: &Account,
    id: &str,
) -> Result<SpaceRead, ServerError> {
    let me = caller.clone();
    let id = id.to_string();
    let st = state.clone();
    state.read(move |tx| read_in(&st, tx, &me, &id)).await
}

/// [`read_cached`] within the transaction `tx`.
pub fn read_in(
    state: &AppState,
    tx: &mut dyn ServerTx,
    me: &Account,
    id: &str,
) -> Result<SpaceRead, ServerError> {
    let id: Uuid = id.trim().parse().map_err(|_| not_found())?;
    let now = state.clock.now();
    let h = tx
        .space_head(id)?
        .filter(|h| is_member(&h.space, me))
        .ok_or_else(not_found)?;
    readable(&h.space, now)?;
    let members = members_of_head(&h, me)?;
    let view = view_at(state, tx, id, h.head)?;
    Ok(SpaceRead {
        space: h.space,
        members,
        head: h.head,
        view,
    })
}

/// The view of `space` at `head` (as read in this transaction): the cache's, or read,
/// decoded and kept.
pub fn view_at(
    state: &AppState,
    tx: &mut dyn ServerTx,
    space: Uuid,
    head: i64,
) -> Result<Arc<SpaceView>, ServerError> {
    if let Some(v) = state.cache.view(space, head) {
        return Ok(v);
    }
    let rows = tx.records(space)?;
    let stored = rows.iter().map(|r| r.state.len()).sum();
    let view = Arc::new(
        SpaceView::from_states(space, rows.iter().map(|r| (r.seq, r.state.as_slice())))
            .map_err(stored_error)?,
    );
    state.cache.put_view(space, head, view.clone(), stored);
    Ok(view)
}

/// Both members of an accepted space, the caller first, as its head names them (no query).
pub fn members_of_head(h: &SpaceHead, me: &Account) -> Result<Members, ServerError> {
    let (inviter_role, invitee_role) = roles(&h.space);
    let missing = |id: Option<Uuid>| match id {
        Some(id) => ServerError::internal(format!("a member's account {id} is missing")),
        None => ServerError::conflict("the invitation has not been accepted yet"),
    };
    let member = |m: &upward_server_store::MemberName, role: Role| Member {
        account: m.id,
        email: m.email.clone(),
        name: m.name.clone(),
        role,
    };
    let inviter = h
        .inviter
        .as_ref()
        .map(|m| member(m, inviter_role))
        .ok_or_else(|| missing(Some(h.space.inviter)))?;
    let invitee = match (&h.invitee, h.space.invitee) {
        (Some(m), _) => member(m, invitee_role),
        (None, id) => return Err(missing(id)),
    };
    Ok(if me.id == inviter.account {
        Members {
            me: inviter,
            other: invitee,
        }
    } else {
        Members {
            me: invitee,
            other: inviter,
        }
    })
}

/// Writes a member's change to the space `id` (as typed): checked writable, built, appended
/// and folded in one transaction. Gives the space, the members and the space afterwards with
/// the operations written.
pub async fn write_space<F>(
    state: &Arc<AppState>,
    caller: &Account,
    id: &str,
    build: F,
) -> Result<(Members, SpaceView, Vec<Op>), ServerError>
where
    F: FnOnce(&mut OpContext, &SpaceView, &Members) -> Result<Vec<Op>, ServerError>
        + Send
        + 'static,
{
    let me = caller.clone();
    let id = id.to_string();
    let now = state.clock.now();
    let st = state.clone();
    state
        .write(move |tx| {
            let found = space_of(tx, &id, &me)?;
            // The space's log lock first (appending nothing takes it, to the end of the
            // transaction), so that the records read below include every earlier writer's:
            // two members recording the same 1:1 at once both land on one meeting.
            tx.append_ops(found.id, &[])?;
            let space = space_of(tx, &id, &me)?;
            writable(&space, now)?;
            let members = members(tx, &space, &me)?;
            let mut refused = None;
            let ops = write_ops(tx, &st, space.id, &me, |ctx, view| {
                build(ctx, view, &members).or_else(|e| {
                    refused = Some(e);
                    Ok(Vec::new())
                })
            })?;
            if let Some(e) = refused {
                return Err(e);
            }
            let view = load(tx, space.id)?;
            Ok((members, view, ops))
        })
        .await
}
