//! The command line (README.md lists the commands; docs/ has a page per rule). Command
//! names, flags and JSON keys are a public interface: extend them, never rename them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "upward",
    version,
    about = "Manage up: know your manager, own your 1:1s, surface risks early, keep promises, track your impact.",
    long_about = "Manage up: know your manager, own your 1:1s, surface risks early, keep promises, track your impact.\n\nEverything stays in one private SQLite file on this machine. Start with `upward tour`.",
    after_help = "Dates: 2026-11-22, today, tomorrow, yesterday, fri, next monday, +3d, 2w, in 3 days, 3 days ago.\nDurations: 3d, 2w, 1m.   UPWARD_NOW fixes \"now\"; UPWARD_DB chooses the database."
)]
pub struct Cli {
    /// The database file (else UPWARD_DB, else the config file, else the platform data dir).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Machine-readable JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// No colour (also NO_COLOR=1).
    #[arg(long, global = true)]
    pub no_color: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record who I am and who my manager is.
    Init {
        #[arg(long, value_name = "NAME")]
        me: String,
        #[arg(long)]
        role: Option<String>,
        #[arg(long, value_name = "NAME")]
        manager: Option<String>,
    },
    /// People: add, list, show, set a profile or style field, remove.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Add an item: win, priority, expectation, risk, blocker, promise, action, feedback, goal, topic, note, idea.
    Add {
        /// The kind of item.
        kind: String,
        /// What it is, in one line.
        title: String,
        #[command(flatten)]
        fields: ItemArgs,
    },
    /// List items (open ones by default; wins: all that are not dropped).
    List {
        /// Only this kind.
        kind: Option<String>,
        /// Only items with this person.
        #[arg(long, value_name = "NAME")]
        with: Option<String>,
        /// open, done, dropped or all.
        #[arg(long)]
        status: Option<String>,
        /// Only items created, done or dated on or after this date.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        since: Option<String>,
        /// Only items with this tag.
        #[arg(long)]
        tag: Option<String>,
    },
    /// Show one item.
    Show { id: String },
    /// Change an item's fields.
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        fields: ItemArgs,
        /// Make it private again (undoes --shared).
        #[arg(long, conflicts_with = "shared")]
        private: bool,
    },
    /// Mark an item done (a promise kept, an action finished, a topic closed).
    Done {
        id: String,
        /// When it was done (default: today).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// Drop an item: it stays, marked dropped.
    Drop {
        id: String,
        /// Why it was dropped.
        #[arg(long)]
        why: Option<String>,
    },
    /// Open a done or dropped item again.
    Reopen { id: String },
    /// Full-text search over titles, bodies, notes and profiles.
    Search {
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// The agenda for your next 1:1 (NAME defaults to your manager).
    Prep {
        name: Option<String>,
        /// The agenda to share with them: no coaching, no commands, no private bodies, no
        /// questions about them.
        #[arg(long)]
        shared: bool,
        /// Every item, also for a person who likes it brief.
        #[arg(long)]
        all: bool,
    },
    /// The 1:1s recorded, newest first (NAME: with that person only).
    Meetings { name: Option<String> },
    /// Show or undo a recorded 1:1.
    Meeting {
        #[command(subcommand)]
        command: MeetingCommand,
    },
    /// The requests you declined and recorded with `decline --sent`, oldest first.
    Declines { name: Option<String> },
    /// Record a 1:1: what was discussed, notes, actions on both sides.
    Meet {
        name: Option<String>,
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Ids of the items discussed, comma-separated.
        #[arg(long, value_name = "ID,...", value_delimiter = ',')]
        discussed: Vec<String>,
        /// My notes: private, they never leave this machine.
        #[arg(long)]
        notes: Option<String>,
        /// Notes shared with them: sync puts them in the space you share (docs/sync.md).
        #[arg(long, value_name = "TEXT")]
        shared_notes: Option<String>,
        /// An action agreed: "TEXT@me" or "TEXT@them", optionally ":DUE".
        #[arg(long, value_name = "TEXT@me|them[:DUE]")]
        action: Vec<String>,
        /// Ids of feedback given after asking whether they were open to it (also discussed).
        #[arg(long, value_name = "ID,...", value_delimiter = ',')]
        consent_asked: Vec<String>,
    },
    /// A status update in the person's style.
    Update {
        name: Option<String>,
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        since: Option<String>,
        /// in-person, chat, email or video (for this message only).
        #[arg(long)]
        channel: Option<String>,
        /// brief or detailed (for this message only).
        #[arg(long)]
        length: Option<String>,
        /// The three-line brief (headline, decision needed, risk), as an executive gets it.
        #[arg(long, conflicts_with = "length")]
        brief: bool,
        /// Record that it went out.
        #[arg(long)]
        sent: bool,
    },
    /// Place a new request among your priorities: what would slip, and the trade-off question.
    Intake {
        title: String,
        #[arg(long, value_name = "NAME")]
        from: String,
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due: String,
        #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
        effort: String,
        /// Add it as a priority.
        #[arg(long)]
        accept: bool,
        /// With --accept: at this rank (default: where it fits).
        #[arg(long, requires = "accept")]
        rank: Option<String>,
    },
    /// Draft a respectful no: reasoning, alternatives, a plan.
    Decline {
        title: String,
        #[arg(long, value_name = "NAME")]
        from: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        alternative: Vec<String>,
        /// The day after which you can pick it up (default: when your open priorities are
        /// projected to be done).
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        after: Option<String>,
        /// Record that this no went out (what, to whom, why, what was offered).
        #[arg(long)]
        sent: bool,
    },
    /// The packet for a performance or career conversation.
    Review {
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        from: Option<String>,
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        to: Option<String>,
        #[arg(long, value_enum)]
        format: Option<ReviewFormat>,
    },
    /// What needs attention now, most urgent first.
    Nudges {
        /// Every nudge, not only the 7 most urgent.
        #[arg(long)]
        all: bool,
    },
    /// The tone check on any text: absolute words, blame, sarcasm, shouting, each with a
    /// rewrite (fact → behaviour → impact → what could change). Advice: exit 0 either way.
    Check {
        /// The text, or - to read it from standard input.
        #[arg(allow_hyphen_values = true)]
        text: String,
        /// The text is constructive feedback: also flag it when it asks for nothing in the
        /// future.
        #[arg(long)]
        feedback: bool,
    },
    /// Review the relationship: five questions scored 1–5, with the trend.
    Reflect {
        name: Option<String>,
        #[arg(long, value_name = "AREA=N")]
        score: Vec<String>,
        #[arg(long, value_name = "AREA=TEXT")]
        answer: Vec<String>,
    },
    /// Everything, as JSON (lossless, re-importable) or markdown.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to this file (created private, mode 0600) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import an export (into an empty database, or --merge by uuid).
    Import {
        /// The file, or - for standard input.
        file: PathBuf,
        #[arg(long)]
        merge: bool,
    },
    /// Win candidates from your merged git work: your commits on the current branch since a
    /// date, grouped by topic, with the numbers in their messages kept as metrics. A dry run
    /// unless --yes, or unless you accept them one by one on a terminal.
    ImportGit {
        /// The repositories (default: the one the current directory is in).
        #[arg(value_name = "REPO")]
        repos: Vec<PathBuf>,
        /// Your commits: the author's email, as in `git log` (any case).
        #[arg(long, value_name = "EMAIL")]
        author: String,
        /// Commits authored on or after this date.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        since: String,
        /// Add every candidate without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Items from a jrnl journal (`jrnl --export json > FILE`): entries tagged @win become wins,
    /// the others notes. A dry run unless --yes, or unless you accept them one by one on a
    /// terminal.
    ImportJrnl {
        file: PathBuf,
        /// Add every entry without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Items from Taskwarrior (`task export > FILE`): tasks tagged promise become promises,
    /// the others actions; completed ones done. A dry run unless --yes, or unless you accept
    /// them one by one on a terminal.
    ImportTask {
        file: PathBuf,
        /// Add every task without asking.
        #[arg(long)]
        yes: bool,
    },
    /// An iCalendar feed: each person's next 1:1 by cadence, the due dates of open promises
    /// and actions, and the review reminder (all-day events; stable UIDs, so a calendar app
    /// updates them).
    Calendar {
        /// Write to this file (created private, mode 0600) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// A verified copy of the database (safe while other commands run), by default into
    /// backups/ beside it, named by date.
    Backup {
        /// Where to write the copy (a file, or a folder for the dated name); default: the
        /// backups/ folder beside the database.
        file: Option<PathBuf>,
    },
    /// Check the database (integrity, references, search indexes, schema version) and say
    /// the way out of any damage.
    Doctor {
        /// Put this backup in place as the database; the file it replaces is moved aside,
        /// never deleted.
        #[arg(long, value_name = "BACKUP", conflicts_with = "export")]
        restore: Option<PathBuf>,
        /// Export what can still be read of a damaged database to FILE (JSON, for
        /// `upward import`).
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
    },
    /// A sample workspace: its 1:1 agenda, update and nudges.
    Tour,
    /// The workspace in a browser, on this machine only (127.0.0.1): prints the address to
    /// open, with its one-time token; stops on Ctrl-C.
    Serve {
        /// The port to listen on (default: 4717, or the next free one).
        #[arg(long, value_name = "N")]
        port: Option<u16>,
        /// Do not open a browser; only print the address.
        #[arg(long)]
        no_open: bool,
    },
    /// The team server as a client: log in, see the spaces and invitations, invite, accept,
    /// leave (docs/sync.md).
    Remote {
        #[command(subcommand)]
        command: RemoteCommand,
    },
    /// Share an item into the space with its person (`share ID`), or my "how I like to work"
    /// card into every space (`share card`); then syncs.
    Share {
        /// An item's id, or `card`.
        what: String,
    },
    /// Unshare an item: it leaves the space (a tombstone); copies already synced remain.
    Unshare { id: String },
    /// Push what changed here into the spaces, pull what the other members wrote:
    /// {"pushed", "pulled", "spaces"} with --json.
    Sync,
    /// The team server: shared 1:1 spaces between two accounts (docs/server.md).
    Server {
        #[command(subcommand)]
        command: ServerCommand,
    },
    /// The man page (roff), made from the same definitions as --help:
    /// `upward man > ~/.cargo/share/man/man1/upward.1`.
    Man,
    /// Shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The effective settings and where each came from.
    Config,
}

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// Log in to a team server (https://, or http:// to 127.0.0.1 only); the token goes to
    /// ~/.config/upward/credentials.toml (mode 0600), never into the workspace.
    Login {
        url: String,
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// The login, the synced spaces, what waits to be pushed, and invitations.
    Status,
    /// Forget the login (and revoke its token on the server).
    Logout,
    /// Accept an invitation to a space (its id, as `remote status` shows it).
    Accept { id: String },
    /// Close the space with a person: read-only for both, exportable.
    Leave { name: String },
    /// Invite a person (by their email) to a space with me.
    Invite { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Run the team server (migrates the database first; a newer one is refused unchanged);
    /// stops on Ctrl-C or SIGTERM.
    Start {
        #[command(flatten)]
        database: ServerDatabase,
        /// The address to listen on (default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// The address people open, when a proxy stands in front (https://upward.example.com):
        /// its host is accepted, its origin is the one forms must come from, and https makes
        /// the session cookie Secure.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// The proxy whose X-Forwarded-For names the client (for the sign-in throttle).
        #[arg(long, value_name = "ADDR")]
        trusted_proxy: Option<String>,
    },
    /// Add an account; prints a one-time link to set its password (valid 24 h), unless
    /// --password-stdin gives one.
    AddUser {
        email: String,
        /// The account's display name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        database: ServerDatabase,
        /// Read the password from standard input (one line) instead of printing a link.
        #[arg(long)]
        password_stdin: bool,
        /// The server's public address, the base of the link (default http://127.0.0.1:8080).
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
    /// Print a new one-time link to set an account's password (valid 24 h; earlier links end).
    ResetPassword {
        email: String,
        #[command(flatten)]
        database: ServerDatabase,
        /// The server's public address, the base of the link (default http://127.0.0.1:8080).
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
    /// Stop an account from signing in; its sessions and API tokens end now.
    DisableUser {
        email: String,
        #[command(flatten)]
        database: ServerDatabase,
    },
}

#[derive(Debug, Args)]
pub struct ServerDatabase {
    /// The server's database: sqlite://PATH or postgres://USER:PASSWORD@HOST/NAME (else
    /// UPWARD_SERVER_DATABASE).
    #[arg(
        long = "database",
        env = "UPWARD_SERVER_DATABASE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub url: String,
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// A 1:1 with its notes, the items discussed, what it changed and the actions agreed.
    Show { id: String },
    /// Take a 1:1 back: what it changed is put back (unless changed since), the actions
    /// agreed at it that are still open are dropped, and the 1:1 is removed.
    Undo { id: String },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person.
    Add {
        name: String,
        /// manager, skip, peer, report or stakeholder.
        #[arg(long)]
        relation: String,
        #[arg(long)]
        role: Option<String>,
        /// How often to be in touch: 7d, 2w, 1m.
        #[arg(long, value_name = "DUR", allow_hyphen_values = true)]
        cadence: Option<String>,
        /// yes or no: whether they read technical detail (no: updates lead with outcomes and
        /// dates, and flag jargon).
        #[arg(long, value_name = "yes|no")]
        technical: Option<String>,
        /// yes or no: an executive (a skip-level, a director), who gets a three-line brief.
        #[arg(long, value_name = "yes|no")]
        exec: Option<String>,
        /// Their email address (name@host): sync links them to their account by it.
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
    },
    /// List people.
    List {
        /// Include removed people.
        #[arg(long)]
        all: bool,
    },
    /// Show a person's profile and style.
    Show { name: String },
    /// Set a field: role, relation, name, email, a profile field (goals, priorities, pressures,
    /// motivations, values, strengths, blind_spots, pet_peeves, happiest) or a style field
    /// (channel, length, decides_by, feedback, cadence, trust, technical, exec). An empty VALUE
    /// clears it.
    Set {
        name: String,
        field: String,
        value: String,
    },
    /// Remove a person: hidden from lists, kept with their history.
    Rm { name: String },
}

/// The fields `add` and `edit` share.
#[derive(Debug, Args, Default)]
pub struct ItemArgs {
    /// The person it is with or about (for a promise: to whom).
    #[arg(long, value_name = "NAME", visible_alias = "to")]
    pub with: Option<String>,
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub due: Option<String>,
    /// A tag (repeatable).
    #[arg(long)]
    pub tag: Vec<String>,
    #[arg(long)]
    pub body: Option<String>,
    /// Write the body in $VISUAL or $EDITOR (else vi), starting from the current one.
    #[arg(long, conflicts_with = "body")]
    pub edit: bool,
    /// Shared with the person (default: private).
    #[arg(long)]
    pub shared: bool,
    /// win: the impact.
    #[arg(long, help_heading = "Kind fields")]
    pub impact: Option<String>,
    /// win, expectation: a metric such as "p99 -38%".
    #[arg(long, help_heading = "Kind fields")]
    pub metric: Option<String>,
    /// win: when it happened (default: today).
    #[arg(
        long,
        value_name = "DATE",
        allow_hyphen_values = true,
        help_heading = "Kind fields"
    )]
    pub date: Option<String>,
    /// priority: its rank (default: after the last).
    #[arg(long, help_heading = "Kind fields")]
    pub rank: Option<String>,
    /// priority: effort in working days (3d, 2w).
    #[arg(
        long,
        value_name = "DUR",
        allow_hyphen_values = true,
        help_heading = "Kind fields"
    )]
    pub effort: Option<String>,
    /// risk: low, medium or high.
    #[arg(long, help_heading = "Kind fields")]
    pub likelihood: Option<String>,
    /// risk: low, medium or high.
    #[arg(long, help_heading = "Kind fields")]
    pub severity: Option<String>,
    /// risk: the recommended mitigation.
    #[arg(long, help_heading = "Kind fields")]
    pub mitigation: Option<String>,
    /// blocker: the recommended solution.
    #[arg(long, help_heading = "Kind fields")]
    pub ask: Option<String>,
    /// blocker: the evidence.
    #[arg(long, help_heading = "Kind fields")]
    pub data: Option<String>,
    /// action: me or them.
    #[arg(long, help_heading = "Kind fields")]
    pub owner: Option<String>,
    /// feedback: given, received or requested.
    #[arg(long, help_heading = "Kind fields")]
    pub direction: Option<String>,
    /// feedback: positive or constructive.
    #[arg(long, help_heading = "Kind fields")]
    pub tone: Option<String>,
    /// feedback: consent asked (yes or no; the flag alone means yes).
    #[arg(long, num_args = 0..=1, default_missing_value = "yes", help_heading = "Kind fields")]
    pub consent: Option<String>,
    /// priority, expectation: when it was confirmed.
    #[arg(
        long,
        value_name = "DATE",
        allow_hyphen_values = true,
        help_heading = "Kind fields"
    )]
    pub confirmed: Option<String>,
    /// risk: when it was communicated.
    #[arg(
        long,
        value_name = "DATE",
        allow_hyphen_values = true,
        help_heading = "Kind fields"
    )]
    pub communicated: Option<String>,
    /// blocker: when it was escalated.
    #[arg(
        long,
        value_name = "DATE",
        allow_hyphen_values = true,
        help_heading = "Kind fields"
    )]
    pub escalated: Option<String>,
    /// goal: when it was last discussed.
    #[arg(
        long,
        value_name = "DATE",
        allow_hyphen_values = true,
        help_heading = "Kind fields"
    )]
    pub last_discussed: Option<String>,
    /// priority: effort still to do (3d, 2w); intake counts it instead of the effort.
    #[arg(
        long,
        value_name = "DUR",
        allow_hyphen_values = true,
        help_heading = "Kind fields"
    )]
    pub remaining: Option<String>,
    /// risk: open, mitigated, occurred or closed (closed finishes it).
    #[arg(long, help_heading = "Kind fields")]
    pub state: Option<String>,
    /// risk: what happened.
    #[arg(long, help_heading = "Kind fields")]
    pub outcome: Option<String>,
    /// win: the id of the expectation or goal it counts for.
    #[arg(long = "for", value_name = "ID", help_heading = "Kind fields")]
    pub for_id: Option<String>,
    /// feedback: the id of the request it answers (it is then received, and the request done).
    #[arg(long, value_name = "ID", help_heading = "Kind fields")]
    pub answers: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReviewFormat {
    Md,
    Html,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Md,
}
