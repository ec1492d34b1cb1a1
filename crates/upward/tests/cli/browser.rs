//! `upward serve` in a real browser: headless Chromium driven through chromedriver (WebDriver),
//! with axe-core checking each page for accessibility (a serious or critical violation fails).
//!
//! The tools come from `scripts/web-tools` (see web_tools.rs for the skip rule). Everything
//! stays on 127.0.0.1: chromedriver on a free loopback port, the browser with a fresh profile
//! and its background networking off, `upward serve` from the harness. Each outside process
//! has a time bound and is killed with its process group when the test drops it.
//!
//! Screenshots go to `target/browser-screenshots/` (not committed).

use crate::harness::Env;
use crate::server::Server;
use crate::web_tools::{TinyServer, tool};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Every page of the web app, as a path to open once signed in on the workspace of
/// [`workspace`]. Each is checked by axe in [`every_page_passes_axe`]: add yours here.
pub const PAGES: &[&str] = &[
    "/",
    "/agenda",
    "/agenda/Dana%20Whitfield",
    "/meetings",
    "/update",
    "/update/Dana%20Whitfield",
    "/update/Dana%20Whitfield?channel=email&brief=1",
    "/items",
    "/items?status=all",
    "/items/new?kind=risk",
    "/items/1",
    "/people",
    "/people/Dana%20Whitfield",
    "/search?q=latency",
    "/spaces",
    "/transfer",
    "/intake",
    "/decline",
    // A draft with the tone check's flags ("Before you send this").
    "/decline?title=Hackathon&from=Dana&reason=You+ALWAYS+ignore+my+PRs!!",
    "/check",
    "/review",
    "/reflect",
    "/reflect/Dana%20Whitfield",
];

/// The longest a browser process may live (chromedriver and Chromium run under `timeout`, so
/// they stop by themselves even if the test process is killed).
const BROWSER_LIFETIME: Duration = Duration::from_secs(600);
/// The longest one WebDriver command may take (a page load, a script, a screenshot).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// The flags that make Chromium headless and quiet on the network: no GPU, no QUIC, no
/// first-run, background networking, component updates or sync (on this machine's closed
/// network, those connections are refused and slow everything down).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

/// A workspace whose Today has nudges of several kinds, one of which leads to the agenda, and
/// an item of each of the twelve kinds (the API fuzz test runs on it too). The helpers of later
/// pages add what their pages need to show something real.
pub fn workspace(env: &Env) {
    env.ok(&[
        "init",
        "--me",
        "Alex",
        "--role",
        "Staff engineer",
        "--manager",
        "Dana Whitfield",
    ]);
    env.ok(&[
        "person",
        "add",
        "Sam Ortiz",
        "--relation",
        "peer",
        "--role",
        "Platform lead",
    ]);
    env.ok(&[
        "add",
        "promise",
        "Ship the <b>rate</b> limiter",
        "--due",
        "-2d",
    ]);
    env.ok(&["add", "risk", "Vendor sunset", "--severity", "high"]);
    env.ok(&["add", "win", "Cut p99 latency by 40%", "--tag", "perf"]);
    env.ok(&["add", "priority", "Billing migration", "--effort", "5d"]);
    env.ok(&["add", "expectation", "Own the on-call rotation"]);
    env.ok(&["add", "blocker", "Waiting on the security review"]);
    env.ok(&["add", "action", "Send the design doc", "--due", "fri"]);
    env.ok(&["add", "feedback", "Shorter status updates, please"]);
    env.ok(&["add", "goal", "Lead the platform team's roadmap"]);
    env.ok(&["add", "topic", "Promotion timeline", "--with", "Dana"]);
    env.ok(&["add", "note", "Dana prefers written pre-reads"]);
    env.ok(&["add", "idea", "A shared risk register", "--tag", "process"]);
}

/// One violation of an axe rule on a page.
#[derive(Debug)]
pub struct Violation {
    pub id: String,
    /// minor, moderate, serious or critical
    pub impact: String,
    pub help: String,
    /// The CSS selectors of the offending elements.
    pub targets: Vec<String>,
}

impl Violation {
    fn is_blocking(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

/// What axe found on a page.
pub struct AxeReport {
    pub violations: Vec<Violation>,
    /// How many rules passed: more than none, or axe did not really run.
    pub passes: usize,
}

impl AxeReport {
    /// The serious and critical violations, the ones that fail a page.
    pub fn blocking(&self) -> Vec<&Violation> {
        self.violations.iter().filter(|v| v.is_blocking()).collect()
    }

    /// Fails, listing each serious or critical violation, unless there is none.
    pub fn assert_passes(&self, page: &str) {
        let blocking = self.blocking();
        assert!(
            blocking.is_empty(),
            "axe: {} serious or critical violation(s) on {page}:\n{}",
            blocking.len(),
            blocking
                .iter()
                .map(|v| format!("  [{}] {}: {} at {:?}", v.impact, v.id, v.help, v.targets))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// chromedriver with one headless Chromium session. Dropping it closes the session and kills
/// the process group of chromedriver (and so of the browser it started).
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    axe_js: Option<String>,
    axe_path: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A fresh browser, or `None` when the tools are missing and skipping is allowed.
    pub fn start() -> Option<Browser> {
        let chromedriver = tool("UPWARD_CHROMEDRIVER", "browser tests")?;
        let axe_path = tool("UPWARD_AXE_JS", "browser tests")?;
        let chromium = std::env::var_os("UPWARD_CHROMIUM").map(PathBuf::from);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the WebDriver client");
        let profile = tempfile::tempdir().expect("a profile directory");
        let (driver, port) = start_chromedriver(&chromedriver, profile.path());
        let mut options = json!({
            "args": CHROMIUM_FLAGS
                .iter()
                .map(|f| f.to_string())
                .chain([format!("--user-data-dir={}", profile.path().join("chromium").display())])
                .collect::<Vec<_>>(),
        });
        if let Some(binary) = chromium {
            options["binary"] = json!(binary);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        let mut browser = Browser {
            runtime,
            client: None,
            driver,
            axe_js: None,
            axe_path,
            _profile: profile,
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = browser.block("start a Chromium session", async {
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
        });
        browser.client = Some(client);
        Some(browser)
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    /// Runs a WebDriver command to its end, within [`COMMAND_TIMEOUT`].
    fn block<T, E: std::fmt::Debug>(&self, what: &str, f: impl Future<Output = Result<T, E>>) -> T {
        match self
            .runtime
            .block_on(async { tokio::time::timeout(COMMAND_TIMEOUT, f).await })
        {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => panic!("WebDriver: cannot {what}: {e:?}"),
            Err(_) => panic!("WebDriver: {what} took more than {COMMAND_TIMEOUT:?}"),
        }
    }

    /// Opens `url` and waits for it to load.
    pub fn goto(&self, url: &str) {
        let c = self.client();
        self.block(&format!("open {url}"), c.goto(url));
    }

    /// Signs in to `server` the way its printed link does: `/?token=` trades the token for a
    /// session cookie and moves on to Today.
    pub fn sign_in(&self, server: &Server) {
        self.goto(&format!("{}/?token={}", server.base, server.token));
        assert_eq!(
            self.path(),
            "/",
            "the token link lands on Today once signed in"
        );
    }

    /// Opens `path` of `server` (signed in already).
    pub fn open(&self, server: &Server, path: &str) {
        self.goto(&format!("{}{path}", server.base));
    }

    /// The path (and query) of the page shown.
    pub fn path(&self) -> String {
        let c = self.client();
        let url = self.block("read the URL", c.current_url());
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The page's text as a user sees it.
    pub fn text(&self) -> String {
        self.script("return document.body.innerText")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs `js` (a function body) in the page and returns what it returns.
    pub fn script(&self, js: &str) -> Value {
        let c = self.client();
        self.block("run a script", c.execute(js, vec![]))
    }

    /// Presses `key` (a WebDriver key code, e.g. [`TAB`]) on whatever has the focus, as a user
    /// would: a key down and a key up, no element targeted.
    pub fn press(&self, key: char) {
        let c = self.client();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.block("press a key", c.perform_actions(keys));
    }

    /// The element that has the focus, as HTML (its opening tag and text).
    pub fn focused(&self) -> String {
        self.script("const e = document.activeElement; return e ? e.outerHTML : ''")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Presses Tab until `matches` holds for the focused element (at most `max` times); returns
    /// the focused element's HTML.
    pub fn tab_to(&self, max: usize, matches: impl Fn(&str) -> bool) -> String {
        let mut seen = Vec::new();
        for _ in 0..max {
            self.press(TAB);
            let now = self.focused();
            if matches(&now) {
                return now;
            }
            seen.push(now);
        }
        panic!(
            "no element matched after {max} presses of Tab; the focus went through:\n{}",
            seen.join("\n")
        );
    }

    /// Waits until the page's path is `want` (a navigation may still be under way).
    pub fn wait_for_path(&self, want: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let now = self.path();
            if now == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the browser is at {now}, not {want}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the page's path starts with `prefix` (a form posted and redirected), and
    /// returns the path.
    pub fn wait_for_path_prefix(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let now = self.path();
            if now.starts_with(prefix) {
                return now;
            }
            assert!(
                Instant::now() < deadline,
                "the browser is at {now}, not under {prefix}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first element matching the CSS selector `css`, waited for (it may still be loading).
    fn element(&self, css: &str) -> Element {
        let c = self.client();
        self.block(
            &format!("find {css}"),
            c.wait()
                .at_most(Duration::from_secs(15))
                .for_element(Locator::Css(css)),
        )
    }

    /// Waits until an element matches `css`.
    pub fn wait_for(&self, css: &str) {
        self.element(css);
    }

    /// Types `text` into the field `css` (emptied first), key by key as a user would; the
    /// field keeps the focus, so [`ENTER`] then submits its form.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.block(&format!("empty {css}"), e.clear());
        self.block(&format!("type into {css}"), e.send_keys(text));
    }

    /// Chooses the option of value `value` in the select `css`.
    pub fn choose(&self, css: &str, value: &str) {
        let e = self.element(css);
        self.block(
            &format!("choose {value} in {css}"),
            e.select_by_value(value),
        );
    }

    /// Clicks the element `css` (a link, a button).
    pub fn click(&self, css: &str) {
        let e = self.element(css);
        self.block(&format!("click {css}"), e.click());
    }

    /// Moves the focus to `css` (as Tab would land on it) and presses Space: ticks a checkbox.
    pub fn tick(&self, css: &str) {
        self.element(css);
        let sel = serde_json::to_string(css).expect("a string");
        self.script(&format!("document.querySelector({sel}).focus()"));
        self.press(SPACE);
        assert_eq!(
            self.script(&format!("return document.querySelector({sel}).checked")),
            Value::Bool(true),
            "{css} is ticked"
        );
    }

    /// The text of each element matching `css`, in the page's order.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let sel = serde_json::to_string(css).expect("a string");
        self.script(&format!(
            "return Array.from(document.querySelectorAll({sel})).map(e => e.innerText)"
        ))
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
    }

    /// The value of the attribute `name` of the first element matching `css`.
    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        let e = self.element(css);
        self.block(&format!("read {name} of {css}"), e.attr(name))
    }

    /// The current value of the field `css` (a property, not the attribute).
    pub fn value(&self, css: &str) -> String {
        let e = self.element(css);
        self.block(&format!("read the value of {css}"), e.prop("value"))
            .unwrap_or_default()
    }

    /// Runs axe-core over the page shown. The script is injected through WebDriver, which the
    /// page's Content-Security-Policy does not govern (CDP runs it, not a <script> element).
    pub fn axe(&mut self) -> AxeReport {
        if self.axe_js.is_none() {
            let source = std::fs::read_to_string(&self.axe_path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", self.axe_path.display()));
            self.axe_js = Some(source);
        }
        let source = self.axe_js.as_deref().expect("read above");
        let c = self.client();
        self.block("inject axe-core", c.execute(source, vec![]));
        let run = r#"
            const done = arguments[arguments.length - 1];
            if (typeof axe === 'undefined') { done({error: 'axe is not defined after injection'}); return; }
            axe.run(document, {resultTypes: ['violations']})
                .then(r => done({
                    passes: r.passes.length,
                    violations: r.violations.map(v => ({
                        id: v.id, impact: v.impact || '', help: v.help,
                        targets: v.nodes.map(n => n.target.join(' '))
                    }))
                }))
                .catch(e => done({error: String(e)}));
        "#;
        let result = self.block("run axe", c.execute_async(run, vec![]));
        if let Some(e) = result.get("error") {
            panic!("axe failed: {e}");
        }
        let violations = result["violations"]
            .as_array()
            .expect("axe's violations")
            .iter()
            .map(|v| Violation {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                impact: v["impact"].as_str().unwrap_or_default().to_string(),
                help: v["help"].as_str().unwrap_or_default().to_string(),
                targets: v["targets"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(|s| s.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        let passes = result["passes"].as_u64().unwrap_or(0) as usize;
        AxeReport { violations, passes }
    }

    /// Saves a PNG of the page as `target/browser-screenshots/{name}.png`; returns its path.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let c = self.client();
        let png = self.block("take a screenshot", c.screenshot());
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).expect("the screenshot directory");
        let safe: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let path = dir.join(format!("{safe}.png"));
        std::fs::write(&path, png).expect("writing the screenshot");
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(async {
                tokio::time::timeout(Duration::from_secs(10), client.close()).await
            });
        }
        kill_group(&mut self.driver);
    }
}

/// The WebDriver code of the Tab key.
pub const TAB: char = '\u{e004}';
/// The WebDriver code of the Enter key.
pub const ENTER: char = '\u{e007}';
/// The WebDriver code of the Space key.
pub const SPACE: char = '\u{e00d}';

/// `target/browser-screenshots` (beside the test's own temporary directory in the target).
fn screenshots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("browser-screenshots")
}

/// Starts chromedriver on a free port of 127.0.0.1, in a process group of its own under
/// `timeout`, and waits until it answers. Without `--allowed-ips`, which would make it listen
/// on every interface: by default it listens on the loopback only. A port found free may be taken before chromedriver
/// binds it: a few tries.
fn start_chromedriver(chromedriver: &std::path::Path, dir: &std::path::Path) -> (Child, u16) {
    let log = dir.join("chromedriver.log");
    for _ in 0..5 {
        let port = free_port();
        let mut cmd = if has_timeout() {
            let mut c = Command::new("timeout");
            c.args(["-k", "5", &BROWSER_LIFETIME.as_secs().to_string()])
                .arg(chromedriver);
            c
        } else {
            Command::new(chromedriver)
        };
        cmd.arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn().expect("starting chromedriver");
        if wait_until_ready(&mut child, port) {
            return (child, port);
        }
        kill_group(&mut child);
    }
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    panic!("chromedriver did not start on 127.0.0.1 (5 tries); its log:\n{log}");
}

/// Whether coreutils' `timeout` is there to bound the browser's life.
fn has_timeout() -> bool {
    Command::new("timeout")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// Polls chromedriver's /status until it is ready (true), it exits or 20 s pass (false).
fn wait_until_ready(child: &mut Child, port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .new_agent();
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if let Ok(mut r) = agent.get(format!("http://127.0.0.1:{port}/status")).call() {
            let body = r.body_mut().read_to_string().unwrap_or_default();
            if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Kills the process group led by `child` (chromedriver, or the `timeout` around it, and the
/// browser it started), then reaps the child.
fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// A page with two faults axe must catch: an image without alt text and an input without a
/// label (both critical in axe's rules).
const BAD_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>A bad page</title></head>
<body>
<main>
<h1>A bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="q"></form>
</main>
</body>
</html>
"#;

#[test]
fn the_axe_check_fails_a_page_with_an_unlabelled_input_and_an_image_without_alt() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let page = TinyServer::serve(|_| (200, "text/html; charset=utf-8", BAD_PAGE.to_string()));
    browser.goto(&format!("{}/", page.base));
    let report = browser.axe();
    browser.screenshot("bad-page");
    let blocking: Vec<&str> = report.blocking().iter().map(|v| v.id.as_str()).collect();
    assert!(blocking.contains(&"image-alt"), "{:?}", report.violations);
    assert!(blocking.contains(&"label"), "{:?}", report.violations);
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        report.assert_passes("the bad page")
    }));
    assert!(failed.is_err(), "assert_passes fails the bad page");
}

#[test]
fn every_page_passes_axe() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let env = Env::new();
    workspace(&env);
    let server = env.serve();
    // The pages forbid inline scripts; axe runs all the same (through WebDriver, not a <script>).
    let csp = server
        .get("/")
        .header("content-security-policy")
        .map(str::to_string);
    assert!(
        csp.as_deref()
            .is_some_and(|c| c.contains("script-src 'self'")),
        "the pages carry a CSP without inline script: {csp:?}"
    );
    browser.sign_in(&server);
    for path in PAGES {
        let status = server.get(path).status;
        assert_eq!(status, 200, "GET {path}");
        browser.open(&server, path);
        assert_eq!(browser.path(), *path, "{path} shows itself, not a redirect");
        browser.screenshot(&format!("page{path}"));
        let report = browser.axe();
        assert!(report.passes > 0, "axe ran on {path} (some rule passed)");
        report.assert_passes(path);
    }
}

#[test]
fn a_keyboard_user_signs_in_sees_the_nudges_and_follows_one_to_the_agenda() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let env = Env::new();
    workspace(&env);
    let server = env.serve();
    browser.sign_in(&server);

    let text = browser.text();
    for nudge in server.json("/api/v1/nudges").as_array().expect("a list") {
        // The command line's text ends with the command to run (": `upward prep …`"), which
        // the page shows as a link instead.
        let nudge = nudge["text"].as_str().expect("a text");
        let nudge = nudge.split(": `").next().unwrap_or(nudge);
        assert!(text.contains(nudge), "Today shows {nudge:?}:\n{text}");
    }
    browser.screenshot("today");

    // From the top of the page, Tab by Tab (skip link, navigation, then the nudges) to the
    // link of the cadence nudge, and Enter.
    let link = browser.tab_to(40, |html| html.contains("href=\"/agenda/"));
    assert!(
        link.contains("Prepare the 1:1 with Dana Whitfield"),
        "{link}"
    );
    browser.press(ENTER);
    browser.wait_for_path("/agenda/Dana%20Whitfield");
    let agenda = browser.text();
    assert!(
        agenda.contains("Dana Whitfield") && !agenda.contains("Not Found"),
        "the agenda with Dana Whitfield:\n{agenda}"
    );
    browser.screenshot("agenda-by-keyboard");
}
