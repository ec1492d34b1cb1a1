//! `upward remote login | status | logout | accept | leave | invite`, `upward sync`, `upward
//! share`, `upward unshare` (docs/sync.md): the command line's side of sync. The credentials
//! file, the HTTP transport (every request carries `Upward-Protocol`), and the commands over
//! the sync use cases of upward-app.

use crate::context::Ctx;
use crate::output::{hint, print, print_json};
use anyhow::{Context as _, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use upward_app::sync::{
    self as app_sync, PullPage, PushAnswer, RemoteMember, RemoteSpace, RemoteSpaces, Settings,
    Transport,
};
use upward_space::{PROTOCOL, WireOp};
use upward_store::{StoreExt, Transaction};
use uuid::Uuid;

/// The header every request carries.
pub const PROTOCOL_HEADER: &str = "Upward-Protocol";

// ---------------------------------------------------------------------------------------
// Credentials: ~/.config/upward/credentials.toml, mode 0600, one entry per server URL.

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Credentials {
    #[serde(default)]
    server: Vec<Login>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Login {
    url: String,
    email: String,
    token: String,
    /// The token's id on the server (for logout).
    #[serde(default)]
    token_id: Option<String>,
    device: Uuid,
    /// The account the token signs in as, as the login answered (a sync then need not ask
    /// the server who it is; absent from credentials written before it was kept).
    #[serde(default)]
    account: Option<Uuid>,
}

impl Login {
    /// The transport of this login: its URL and token, and who it signs in as when known.
    fn http(&self) -> Http {
        let mut http = Http::new(&self.url, Some(self.token.clone()));
        http.me = self.account.map(|id| (id, self.email.clone()));
        http
    }
}

/// Where the credentials live: `UPWARD_CREDENTIALS`, else `credentials.toml` beside the
/// config (`~/.config/upward`).
fn credentials_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("UPWARD_CREDENTIALS") {
        return Ok(PathBuf::from(p));
    }
    let dirs = directories::ProjectDirs::from("", "", "upward").ok_or_else(|| {
        anyhow!(
            "no home directory to keep the credentials in — set UPWARD_CREDENTIALS to a file path"
        )
    })?;
    Ok(dirs.config_dir().join("credentials.toml"))
}

fn read_credentials() -> Result<Credentials> {
    let path = credentials_path()?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Credentials::default()),
        Err(e) => bail!("cannot read {}: {e}", path.display()),
    };
    toml::from_str(&text).map_err(|e| {
        anyhow!(
            "{} does not read as upward's credentials ({}) — fix it or remove it and log in again",
            path.display(),
            e.message()
        )
    })
}

/// Writes the credentials whole, mode 0600 (its folder 0700), replacing the file at once.
fn write_credentials(c: &Credentials) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    let path = credentials_path()?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let text = toml::to_string(c).context("cannot write the credentials")?;
    let tmp = dir.join(format!(".credentials.{}.tmp", std::process::id()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A server URL as the user typed it, checked: http(s), no path beyond `/`, and `http://`
/// only to a loopback address.
pub fn check_url(url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let accepted = "accepted: https://HOST[:PORT], or http://127.0.0.1:PORT on this machine";
    let (scheme, rest) = u
        .split_once("://")
        .ok_or_else(|| anyhow!("`{u}` is not a server URL — {accepted}"))?;
    let host_port = rest.split('/').next().unwrap_or("");
    if host_port.is_empty() || rest.contains('/') || rest.contains('@') {
        bail!("`{u}` is not a server URL — {accepted}");
    }
    let host = if let Some(h) = host_port.strip_prefix('[') {
        h.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    match scheme {
        "https" => Ok(u.to_string()),
        "http" if matches!(host, "127.0.0.1" | "::1" | "localhost") => Ok(u.to_string()),
        "http" => bail!(
            "`{u}` is plain http to another machine: your password and token would cross the network unencrypted — use https:// (http:// only to 127.0.0.1)"
        ),
        _ => bail!("`{u}` is not a server URL — {accepted}"),
    }
}

// ---------------------------------------------------------------------------------------
// HTTP.

/// The team server over HTTP, with a token (or none, for login).
pub struct Http {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
    /// The protocol this side declares: [`PROTOCOL`], or for tests only
    /// `UPWARD_TEST_PROTOCOL` (to see a server's 426).
    protocol: u16,
    /// Tests only (`UPWARD_TEST_SYNC_PAUSE_MS`): a pause before and after every request, so
    /// that a test killing `upward sync` lands between its steps (tests/cli/sync_faults.rs).
    pause: Option<std::time::Duration>,
    /// My account and email when the credentials know them: listing the spaces then skips
    /// `GET /api/v1/me`, unless an invitation is listed (whose direction the server's
    /// current email decides).
    me: Option<(Uuid, String)>,
}

/// A test-only setting of the environment, read as a number; unset or not a number: none.
fn test_var<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

impl Http {
    pub fn new(base: &str, token: Option<String>) -> Http {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build()
            .into();
        Http {
            base: base.to_string(),
            token,
            agent,
            protocol: test_var("UPWARD_TEST_PROTOCOL").unwrap_or(PROTOCOL),
            pause: test_var("UPWARD_TEST_SYNC_PAUSE_MS").map(std::time::Duration::from_millis),
            me: None,
        }
    }

    fn pause(&self) {
        if let Some(p) = self.pause {
            std::thread::sleep(p);
        }
    }

    /// Sends a request; the JSON of a 2xx answer, or the server's refusal in words.
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Value, String> {
        self.pause();
        let answer = self.call_now(method, path, body);
        self.pause();
        answer
    }

    fn call_now(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> std::result::Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header(PROTOCOL_HEADER, self.protocol.to_string())
            .header("Accept", "application/json");
        if let Some(t) = &self.token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let result = match body {
            Some(b) => {
                let bytes = serde_json::to_vec(b).map_err(|e| e.to_string())?;
                let req = req
                    .header("Content-Type", "application/json")
                    .body(bytes)
                    .map_err(|e| e.to_string())?;
                self.agent.run(req)
            }
            None => {
                let req = req.body(()).map_err(|e| e.to_string())?;
                self.agent.run(req)
            }
        };
        let mut resp = result.map_err(|e| {
            format!(
                "cannot reach {} ({e}) — nothing was lost: your changes wait for the next sync",
                self.base
            )
        })?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| {
                format!(
                    "the answer from {} was cut short or unreadable ({e}) — nothing was applied; sync again",
                    self.base
                )
            })?;
        let json: Option<Value> = serde_json::from_str(&text).ok();
        if status == 426 {
            let j = json.unwrap_or(Value::Null);
            return Err(format!(
                "{} (this upward speaks protocol {}; the server {}–{}) — nothing was lost",
                j["error"]
                    .as_str()
                    .unwrap_or("the server does not speak this protocol"),
                self.protocol,
                j["min"],
                j["max"]
            ));
        }
        if !(200..300).contains(&status) {
            let why = json
                .as_ref()
                .and_then(|j| j["error"].as_str())
                .map_or_else(|| snippet(&text), str::to_string);
            return Err(match status {
                401 => format!(
                    "the server refused the login ({why}) — log in again: upward remote login {} --email EMAIL",
                    self.base
                ),
                _ => format!("the server refused (HTTP {status}): {why}"),
            });
        }
        json.ok_or_else(|| {
            format!(
                "{} answered something that is not upward's JSON (HTTP {status}: {}) — is it an upward server? Nothing was applied",
                self.base,
                snippet(&text)
            )
        })
    }

    fn parse<T: for<'de> Deserialize<'de>>(
        &self,
        v: Value,
        what: &str,
    ) -> std::result::Result<T, String> {
        serde_json::from_value(v).map_err(|e| {
            format!(
                "{} answered {what} in a shape this upward does not read ({e}) — nothing was applied",
                self.base
            )
        })
    }
}

fn snippet(text: &str) -> String {
    let t: String = text.chars().take(80).collect();
    format!("{:?}", t)
}

impl Transport for Http {
    fn spaces(&mut self) -> std::result::Result<RemoteSpaces, String> {
        #[derive(Deserialize)]
        struct Me {
            id: Uuid,
            email: String,
        }
        #[derive(Deserialize)]
        struct Member {
            email: String,
            name: Option<String>,
            #[serde(default)]
            account: Option<Uuid>,
        }
        #[derive(Deserialize)]
        struct Roles {
            me: String,
            other: String,
        }
        #[derive(Deserialize)]
        struct Listed {
            id: Uuid,
            members: Vec<Member>,
            status: String,
            roles: Roles,
        }
        let listed: Vec<Listed> =
            self.parse(self.call("GET", "/api/v1/spaces", None)?, "the spaces")?;
        let me = match self.me.clone() {
            Some((id, email)) if listed.iter().all(|s| s.status != "invited") => Me { id, email },
            _ => self.parse(self.call("GET", "/api/v1/me", None)?, "the account")?,
        };
        let mine = app_sync::email_key(&me.email);
        let spaces = listed
            .into_iter()
            .filter_map(|s| {
                let invited_me = s.members.get(1).is_some_and(|m| {
                    m.account == Some(me.id) || app_sync::email_key(&m.email) == mine
                });
                let other = s.members.into_iter().find(|m| match m.account {
                    Some(a) => a != me.id,
                    None => app_sync::email_key(&m.email) != mine,
                })?;
                Some(RemoteSpace {
                    id: s.id,
                    status: s.status,
                    my_role: s.roles.me,
                    other: RemoteMember {
                        account: other.account,
                        email: other.email,
                        name: other.name,
                        role: s.roles.other,
                    },
                    invited_me,
                })
            })
            .collect();
        Ok(RemoteSpaces { me: me.id, spaces })
    }

    fn push(&mut self, space: Uuid, ops: &[WireOp]) -> std::result::Result<PushAnswer, String> {
        let v = self
            .call(
                "POST",
                &format!("/api/v1/spaces/{space}/ops"),
                Some(&json!({ "ops": ops })),
            )
            .map_err(|e| {
                if e.starts_with("the server refused (") {
                    format!(
                        "{e} — your {} change{} stay in this workspace, not pushed (docs/sync.md, \"When a push is refused\")",
                        ops.len(),
                        if ops.len() == 1 { "" } else { "s" }
                    )
                } else {
                    e
                }
            })?;
        self.parse(v, "a push")
    }

    fn pull(
        &mut self,
        space: Uuid,
        after: i64,
        limit: usize,
    ) -> std::result::Result<PullPage, String> {
        let v = self.call(
            "GET",
            &format!("/api/v1/spaces/{space}/ops?after={after}&limit={limit}"),
            None,
        )?;
        self.parse(v, "a pull")
    }
}

// ---------------------------------------------------------------------------------------
// Commands.

/// The login of this workspace: the one credentials entry whose device is this workspace's.
fn login_of(device: Option<Uuid>) -> Result<Vec<Login>> {
    let creds = read_credentials()?;
    let Some(device) = device else {
        bail!(
            "this workspace is not logged in to a team server — `upward remote login URL --email EMAIL`"
        );
    };
    let mine: Vec<Login> = creds
        .server
        .into_iter()
        .filter(|l| l.device == device)
        .collect();
    if mine.is_empty() {
        bail!(
            "no login for this workspace (device {device}) in {} — another workspace may have logged in since; log in again from this one: `upward remote login URL --email EMAIL`",
            credentials_path()?.display()
        );
    }
    Ok(mine)
}

fn wall_ms() -> u64 {
    // Hybrid clocks read the system clock, never UPWARD_NOW.
    u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap_or(0)
}

fn settings(ctx: &Ctx, server: &str, device: Uuid) -> Settings {
    Settings {
        server: server.to_string(),
        device,
        today: ctx.clock.today,
        now: ctx.clock.now,
        wall_ms: wall_ms(),
    }
}

pub fn login(ctx: &Ctx, url: &str, email: &str, password_stdin: bool) -> Result<()> {
    let url = check_url(url)?;
    let email = email.trim();
    if !email.contains('@') {
        bail!("`{email}` is not an email address — accepted: one address such as alex@example.com");
    }
    let password = if password_stdin {
        let mut all = String::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_string(&mut all)
            .context("reading the password from standard input (it must be UTF-8)")?;
        all.lines().next().unwrap_or("").to_string()
    } else if ctx.interactive {
        rpassword::prompt_password(format!("Password for {email} on {url}: "))
            .context("reading the password")?
    } else {
        bail!("no terminal to ask the password on — give it with --password-stdin");
    };
    let mut ws = ctx.store()?;
    let device = match ws.store.read(|tx| tx.device())? {
        Some(d) => d,
        None => Uuid::new_v4(),
    };
    let host = std::process::Command::new("hostname")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && h.len() <= 60)
        .unwrap_or_else(|| "command line".into());
    let http = Http::new(&url, None);
    let answer = http
        .call(
            "POST",
            "/api/v1/login",
            Some(&json!({"email": email, "password": password, "name": format!("upward on {host}"), "device": device})),
        )
        .map_err(|e| anyhow!(e))?;
    let token = answer["token"]
        .as_str()
        .ok_or_else(|| {
            anyhow!("{url} answered the login without a token — is it an upward server?")
        })?
        .to_string();
    ws.store.write(|tx| tx.set_device(device))?;
    let mut creds = read_credentials()?;
    creds.server.retain(|l| l.url != url && l.device != device);
    creds.server.push(Login {
        url: url.clone(),
        email: email.to_string(),
        token,
        token_id: answer["id"].as_str().map(str::to_string),
        device,
        account: answer["account"]
            .as_str()
            .and_then(|a| Uuid::try_parse(a).ok()),
    });
    write_credentials(&creds)?;
    if ctx.json {
        return print_json(&json!({"server": url, "email": email, "device": device}));
    }
    print(&format!(
        "Logged in to {url} as {email}. The token is in {} (mode 0600); this workspace is device {device}.\nNext: `upward sync`",
        credentials_path()?.display()
    ))
}

pub fn logout(ctx: &Ctx) -> Result<()> {
    let ws = ctx.store_read_only();
    let device = match ws {
        Ok(mut w) => w.store.read(|tx| tx.device())?,
        Err(_) => None,
    };
    let logins = login_of(device)?;
    for l in &logins {
        if let Some(id) = &l.token_id {
            let http = Http::new(&l.url, Some(l.token.clone()));
            if let Err(e) = http.call("DELETE", &format!("/api/v1/tokens/{id}"), None) {
                hint(&format!(
                    "the token could not be revoked on the server ({e}); revoke it on its Settings page"
                ));
            }
        }
    }
    let mut creds = read_credentials()?;
    creds.server.retain(|l| Some(l.device) != device);
    write_credentials(&creds)?;
    if ctx.json {
        return print_json(
            &json!({"logged_out": logins.iter().map(|l| &l.url).collect::<Vec<_>>()}),
        );
    }
    print(&format!(
        "Logged out of {}. The synced spaces stay in this workspace.",
        logins
            .iter()
            .map(|l| l.url.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

pub fn status(ctx: &Ctx) -> Result<()> {
    let mut ws = ctx.store_read_only()?;
    let device = ws.store.read(|tx| tx.device())?;
    let links = ws.store.read(app_sync::status)?;
    let logins = login_of(device).unwrap_or_default();
    let mut invitations = Vec::new();
    for l in &logins {
        let mut http = l.http();
        match http.spaces() {
            Ok(s) => {
                for sp in s.spaces {
                    if sp.status == "invited" {
                        invitations.push(json!({
                            "id": sp.id,
                            "with": sp.other.name.clone().unwrap_or(sp.other.email.clone()),
                            "direction": if sp.invited_me { "to me" } else { "from me" },
                        }));
                    }
                }
            }
            Err(e) => hint(&e),
        }
    }
    if ctx.json {
        return print_json(&json!({
            "logins": logins.iter().map(|l| json!({"server": l.url, "email": l.email, "device": l.device})).collect::<Vec<_>>(),
            "spaces": links,
            "invitations": invitations,
        }));
    }
    let mut out = String::new();
    if logins.is_empty() {
        out.push_str("Not logged in to a team server — `upward remote login URL --email EMAIL`.\n");
    }
    for l in &logins {
        out.push_str(&format!(
            "Logged in to {} as {} (this workspace is device {}).\n",
            l.url, l.email, l.device
        ));
    }
    for s in &links {
        out.push_str(&format!(
            "Space with {} ({}): {} operation{} to push, at position {}.\n",
            s.person,
            s.status,
            s.unpushed,
            if s.unpushed == 1 { "" } else { "s" },
            s.cursor
        ));
    }
    for i in &invitations {
        let with = i["with"].as_str().unwrap_or("");
        if i["direction"] == "to me" {
            out.push_str(&format!(
                "Invitation from {with}: `upward remote accept {}`\n",
                i["id"].as_str().unwrap_or("")
            ));
        } else {
            out.push_str(&format!("Invited {with}: waiting for them to accept.\n"));
        }
    }
    print(out.trim_end())
}

/// Runs a sync with every server this workspace is logged in to.
pub fn sync(ctx: &Ctx) -> Result<()> {
    let started = std::time::Instant::now();
    let mut ws = ctx.store()?;
    let device = ws.store.read(|tx| tx.device())?;
    let logins = login_of(device)?;
    let mut total = app_sync::Report::default();
    for l in &logins {
        let mut http = l.http();
        let r = app_sync::sync(&mut ws, &mut http, &settings(ctx, &l.url, l.device))?;
        total.pushed += r.pushed;
        total.pulled += r.pulled;
        total.spaces.extend(r.spaces);
        total.invitations.extend(r.invitations);
        total.warnings.extend(r.warnings);
        total.steps.extend(r.steps);
    }
    for w in &total.warnings {
        hint(w);
    }
    // For the benchmark (bench/sync-bench.sh): where the time went, on stderr.
    if std::env::var_os("UPWARD_SYNC_TIMING").is_some_and(|v| !v.is_empty()) {
        for (step, took) in &total.steps {
            eprintln!("sync step: {step}: {:.1} ms", took.as_secs_f64() * 1000.0);
        }
        eprintln!(
            "sync step: the command, from opening the workspace: {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    if ctx.json {
        return print_json(&json!({
            "pushed": total.pushed,
            "pulled": total.pulled,
            "spaces": total.spaces,
            "invitations": total.invitations,
        }));
    }
    let mut out = format!(
        "Synced: {} operation{} pushed, {} pulled.",
        total.pushed,
        if total.pushed == 1 { "" } else { "s" },
        total.pulled
    );
    for s in &total.spaces {
        out.push_str(&format!(
            "\n  {} ({}): {} pushed, {} pulled",
            s.person, s.status, s.pushed, s.pulled
        ));
    }
    for i in &total.invitations {
        if i.direction == "to me" {
            out.push_str(&format!(
                "\nInvitation from {}: `upward remote accept {}`",
                i.with, i.id
            ));
        }
    }
    print(&out)
}

/// A space move over HTTP (accept, close), then a sync so the workspace has it.
fn space_move(ctx: &Ctx, space: Uuid, what: &str) -> Result<()> {
    let mut ws = ctx.store()?;
    let device = ws.store.read(|tx| tx.device())?;
    let logins = login_of(device)?;
    let mut last = None;
    for l in &logins {
        let http = Http::new(&l.url, Some(l.token.clone()));
        match http.call("POST", &format!("/api/v1/spaces/{space}/{what}"), None) {
            Ok(_) => {
                drop(ws);
                return sync(ctx);
            }
            Err(e) => last = Some(e),
        }
    }
    bail!(last.unwrap_or_else(|| "no server to ask".into()))
}

pub fn accept(ctx: &Ctx, id: &str) -> Result<()> {
    let space: Uuid = id.trim().parse().map_err(|_| {
        anyhow!(
            "`{id}` is not a space id — `upward remote status` lists the invitations with theirs"
        )
    })?;
    space_move(ctx, space, "accept")
}

pub fn leave(ctx: &Ctx, name: &str) -> Result<()> {
    let mut ws = ctx.store()?;
    let link = ws.store.read(|tx| app_sync::link_of_person(tx, name))?;
    drop(ws);
    space_move(ctx, link.space, "close")
}

pub fn invite(ctx: &Ctx, name: &str) -> Result<()> {
    let mut ws = ctx.store()?;
    let device = ws.store.read(|tx| tx.device())?;
    let person = ws
        .store
        .read(|tx: &dyn Transaction| upward_app::people::resolve(tx, name))?;
    let Some(email) = person.email.clone() else {
        bail!(
            "{} has no email to invite — `upward person set \"{}\" email ADDRESS` first",
            person.name,
            person.name
        );
    };
    // My role in the space, as this workspace knows the person.
    let role = match person.relation {
        upward_domain::Relation::Manager | upward_domain::Relation::Skip => "report",
        upward_domain::Relation::Report => "manager",
        _ => "peer",
    };
    let logins = login_of(device)?;
    let l = &logins[0];
    let http = Http::new(&l.url, Some(l.token.clone()));
    let answer = http
        .call(
            "POST",
            "/api/v1/spaces",
            Some(&json!({"with": email, "as": role})),
        )
        .map_err(|e| anyhow!(e))?;
    if ctx.json {
        return print_json(&answer);
    }
    print(&format!(
        "Invited {} ({email}) to a space on {} as your {}. It opens once they accept; then `upward sync`.",
        person.name,
        l.url,
        match role {
            "report" => "manager",
            "manager" => "report",
            _ => "peer",
        }
    ))
}

/// `share ID`, `share card`, `unshare ID`; then a sync when logged in.
pub fn share(ctx: &Ctx, what: &str, shared: bool) -> Result<()> {
    let mut ws = ctx.store()?;
    let device = ws.store.read(|tx| tx.device())?;
    if shared && what.trim() == "card" {
        let logins = login_of(device)?;
        let s = settings(ctx, &logins[0].url, logins[0].device);
        let n = ws.store.write(|tx| app_sync::share_card(tx, &s))?;
        drop(ws);
        if !ctx.json {
            print(&format!(
                "Your \"how I like to work\" card goes into {n} space{} (your channel, length, how you decide, feedback and cadence; never trust).",
                if n == 1 { "" } else { "s" }
            ))?;
        }
        return sync_quietly(ctx);
    }
    let id = crate::command::parse_id(what)?;
    let now = ctx.clock.now;
    let (item, link) = ws.store.write(|tx| app_sync::share(tx, id, shared, now))?;
    drop(ws);
    let person = item
        .person
        .as_ref()
        .map_or("", |p| p.name.as_str())
        .to_string();
    if ctx.json {
        print_json(
            &json!({"id": item.id, "uuid": item.uuid, "shared": shared, "space": link.as_ref().map(|l| l.space)}),
        )?;
    } else if shared {
        print(&format!(
            "#{} \"{}\" is shared with {person}.",
            item.id, item.title
        ))?;
    } else {
        print(&format!(
            "#{} \"{}\" is private again: it leaves the space with {person} at the next sync. Copies already synced to {person} remain theirs.",
            item.id, item.title
        ))?;
    }
    if link.is_some() && device.is_some() {
        return sync_quietly(ctx);
    }
    Ok(())
}

/// A sync after share/unshare: its failure is a hint (the change waits for the next sync).
fn sync_quietly(ctx: &Ctx) -> Result<()> {
    let mut ws = ctx.store()?;
    let device = ws.store.read(|tx| tx.device())?;
    let Ok(logins) = login_of(device) else {
        return Ok(());
    };
    for l in &logins {
        let mut http = l.http();
        if let Err(e) = app_sync::sync(&mut ws, &mut http, &settings(ctx, &l.url, l.device)) {
            hint(&format!(
                "not synced yet ({e}) — it goes at the next `upward sync`"
            ));
        }
    }
    Ok(())
}
