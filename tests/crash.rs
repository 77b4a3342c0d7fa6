//! Crash safety: `kill -9` during `sgsearch index` loses nothing that was
//! committed, the index still opens, and a re-run completes with exactly the
//! items and chunks of a clean build (no duplicates, nothing missing).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn sgsearch(index: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sgsearch"));
    c.env_remove("SGSEARCH_INDEX").arg("--index").arg(index);
    c
}

fn index_summary(index: &Path, corpus: &Path) -> Value {
    let out = sgsearch(index).args(["index", "--format", "json"]).arg(corpus).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn search_total(index: &Path, q: &str) -> u64 {
    let out = sgsearch(index).args(["search", "--format", "json", q]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout).unwrap()["total"].as_u64().unwrap()
}

#[test]
fn kill_during_index_then_rerun_gives_a_clean_index() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let cfg = sgsearch::gen::GenConfig { seed: 3, target_bytes: 24_000_000, ..Default::default() };
    sgsearch::gen::generate(&cfg, &corpus).unwrap();

    let clean = tmp.path().join("clean");
    let want = index_summary(&clean, &corpus);

    // Small batches so that commits happen early; kill after the first one.
    let crashed = tmp.path().join("crashed");
    let mut child = sgsearch(&crashed)
        .args(["index", "--batch-mb", "2", "--threads", "2"])
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut killed_after_commit = false;
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        let committed = std::fs::read_to_string(crashed.join("meta.json")).is_ok_and(|m| m.contains("catalog-"));
        if committed {
            child.kill().unwrap(); // SIGKILL
            killed_after_commit = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.wait();
    assert!(killed_after_commit, "the run finished before a commit could be observed; raise the corpus size");

    // The committed part opens and is consistent with its catalog.
    let info = sgsearch(&crashed).args(["info", "--format", "json"]).output().unwrap();
    assert!(info.status.success(), "index does not open after kill -9: {}", String::from_utf8_lossy(&info.stderr));
    let info: Value = serde_json::from_slice(&info.stdout).unwrap();
    assert!(info["items"].as_u64().unwrap() > 0);
    assert!(info["items"].as_u64().unwrap() < want["items"].as_u64().unwrap());

    // Re-run: the rest is indexed, nothing twice.
    let rerun = index_summary(&crashed, &corpus);
    assert_eq!(rerun["items"], want["items"]);
    assert_eq!(rerun["chunks"], want["chunks"]);
    assert!(rerun["files_unchanged"].as_u64().unwrap() > 0, "committed files were not kept");
    for q in ["fostering", "county lines", "neglect"] {
        assert_eq!(search_total(&crashed, q), search_total(&clean, q), "{q}");
    }
    let again = index_summary(&crashed, &corpus);
    assert_eq!(again["files_indexed"], 0);
}
