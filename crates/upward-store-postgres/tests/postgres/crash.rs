//! A writer process killed with SIGKILL in the middle of a write transaction leaves all of it or
//! nothing, and does not keep its workspace locked.
//!
//! The writer is this test binary run again (`writer_child`, ignored in a normal run): it opens
//! a workspace, begins one write transaction, inserts [`ITEMS`] items, and commits, printing a
//! line after each step. The test kills it at seeded points. In three rounds of four the child
//! stops after the k-th insert and waits, so the kill certainly lands inside the transaction
//! (after `BEGUN`, before `COMMITTING`): nothing of it may stay. In the others the kill is sent
//! as soon as the child says `COMMITTING`, racing its commit: all of it or nothing may stay,
//! and all of it if the child got to say `COMMITTED`. Either way a fresh handle must then get
//! the workspace's write lock at once.
//!
//! `UPWARD_CRASH_SEED` replays a run (the seed is printed).

use crate::common::{item, open, url};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use upward_domain::Kind;
use upward_store::{ItemFilter, Store, StoreExt};
use uuid::Uuid;

/// Items inserted by the child in its one transaction.
const ITEMS: usize = 200;
/// Kill points per run.
const ROUNDS: usize = 36;

/// The child's parameters, in its environment.
const WORKSPACE: &str = "UPWARD_CRASH_WORKSPACE";
const PAUSE_AT: &str = "UPWARD_CRASH_PAUSE_AT";

#[test]
#[ignore = "the writer that `a_killed_writer_leaves_all_or_nothing` kills; run only as its child"]
fn writer_child() {
    let (Some(url), Ok(ws)) = (url(), std::env::var(WORKSPACE)) else {
        return;
    };
    let ws: Uuid = ws.parse().expect("a workspace uuid");
    let pause_at: Option<usize> = std::env::var(PAUSE_AT).ok().and_then(|v| v.parse().ok());
    let mut store = open(&url, ws);
    let mut out = std::io::stdout().lock();
    let mut say = |line: &str| {
        writeln!(out, "{line}").expect("stdout");
        out.flush().expect("stdout");
    };
    // The test harness has printed `test crash::writer_child ... ` with no newline yet.
    say("");
    let tx = store.begin_write().expect("begin");
    say("BEGUN");
    for i in 1..=ITEMS {
        tx.insert_item(&item(Kind::Note, &format!("item {i}")))
            .expect("insert");
        say(&format!("INSERTED {i}"));
        if pause_at == Some(i) {
            say("PAUSED");
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }
    say("COMMITTING");
    tx.commit().expect("commit");
    say("COMMITTED");
}

/// splitmix64: a small, seeded, reproducible sequence of kill points.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `1..=n`.
    fn upto(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize + 1
    }
}

#[test]
fn a_killed_writer_leaves_all_or_nothing() {
    let Some(url) = url() else { return };
    let seed: u64 = std::env::var("UPWARD_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    eprintln!("crash test seed: UPWARD_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().expect("the test binary");
    let started = Instant::now();
    let (mut inside, mut kept, mut lost) = (0, 0, 0);

    for round in 0..ROUNDS {
        let ws = Uuid::new_v4();
        // Three rounds in four stop the child at the k-th insert; the rest race its commit.
        let paused = round % 4 != 3;
        let k = rng.upto(ITEMS);
        let mut cmd = Command::new(&exe);
        cmd.args([
            "--exact",
            "crash::writer_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("UPWARD_TEST_POSTGRES", &url)
        .env(WORKSPACE, ws.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
        if paused {
            cmd.env(PAUSE_AT, k.to_string());
        }
        let mut child = cmd.spawn().expect("spawn the writer");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout"));
        let wanted = if paused { "PAUSED" } else { "COMMITTING" };
        let mut seen = Vec::new();
        loop {
            let mut line = String::new();
            let n = lines.read_line(&mut line).expect("read the writer");
            assert!(
                n > 0,
                "round {round} (seed {seed}): the writer ended before {wanted:?}: {seen:?}"
            );
            let line = line.trim_end().to_string();
            let done = line == wanted;
            seen.push(line);
            if done {
                break;
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let mut rest = String::new();
        lines
            .read_to_string(&mut rest)
            .expect("the rest of its output");
        seen.extend(rest.lines().map(str::to_string));
        assert!(seen.iter().any(|l| l == "BEGUN"), "round {round}: {seen:?}");
        let committing = seen.iter().any(|l| l == "COMMITTING");
        let commit_returned = seen.iter().any(|l| l == "COMMITTED");

        // The killed writer's lock goes with its connection: a new writer gets it at once.
        let mut store = open(&url, ws);
        let waited = Instant::now();
        let tx = store.begin_write().expect("the lock is free again");
        let waited = waited.elapsed();
        assert!(
            waited < Duration::from_secs(5),
            "round {round}: waited {waited:?} for a killed writer's lock"
        );
        drop(tx);

        let items = store
            .read(|tx| tx.items(&ItemFilter::default()))
            .expect("read");
        let n = items.len();
        if !committing {
            assert_eq!(
                n, 0,
                "round {round} (seed {seed}): killed inside the transaction, yet {n} items stayed"
            );
            inside += 1;
        } else {
            assert!(
                n == 0 || n == ITEMS,
                "round {round} (seed {seed}): {n} of {ITEMS} items"
            );
            if commit_returned {
                assert_eq!(n, ITEMS, "round {round}: a commit that returned was lost");
            }
            if n == ITEMS {
                let mut ids: Vec<i64> = items.iter().map(|i| i.id).collect();
                ids.sort_unstable();
                assert_eq!(ids, (1..=ITEMS as i64).collect::<Vec<_>>());
                kept += 1;
            } else {
                lost += 1;
            }
        }
        if paused {
            assert!(
                !committing,
                "round {round}: a paused writer got to its commit"
            );
        }
        assert_eq!(
            store.read(|tx| tx.integrity_check()).expect("check"),
            "ok",
            "round {round}"
        );
    }
    eprintln!(
        "{ROUNDS} writers killed in {:?}: {inside} inside their transaction (nothing kept), \
         {} racing their commit ({kept} kept all, {lost} nothing)",
        started.elapsed(),
        kept + lost,
    );
    assert_eq!(
        inside,
        ROUNDS - ROUNDS / 4,
        "every paused writer was killed inside"
    );
}

/// The paused child really holds its transaction open: while it waits, its inserts are
/// invisible and another writer of its workspace waits for it.
#[test]
fn a_paused_writer_holds_its_uncommitted_transaction() {
    let Some(url) = url() else { return };
    let ws = Uuid::new_v4();
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "crash::writer_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("UPWARD_TEST_POSTGRES", &url)
        .env(WORKSPACE, ws.to_string())
        .env(PAUSE_AT, "50")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    while line.trim_end() != "PAUSED" {
        line.clear();
        assert!(
            lines.read_line(&mut line).expect("read") > 0,
            "the writer ended"
        );
    }
    let mut store = open(&url, ws);
    let n = store
        .read(|tx| tx.items(&ItemFilter::default()))
        .expect("read")
        .len();
    assert_eq!(n, 0, "uncommitted inserts are invisible");
    std::thread::scope(|s| {
        let (done, wait) = std::sync::mpsc::channel();
        s.spawn(move || {
            let r = store.write(|tx| tx.insert_item(&item(Kind::Note, "after")));
            done.send(r.map(|i| i.id)).ok();
        });
        assert!(
            wait.recv_timeout(Duration::from_millis(500)).is_err(),
            "a writer waits for the paused one"
        );
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let id = wait
            .recv_timeout(Duration::from_secs(10))
            .expect("the lock is released when the writer dies")
            .expect("write");
        assert_eq!(id, 1, "nothing of the killed writer's transaction stayed");
    });
}
