//! The binary's offline commands, run as a user would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn clipjury(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_clipjury"))
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn rank_prints_the_table_that_docs_judging_shows() {
    let out = clipjury(&["rank", "docs/examples/jury-example.csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Group 1  8.800"), "{table}");
    let doc = std::fs::read_to_string("docs/judging.md").unwrap();
    assert!(
        doc.contains(table.trim_end()),
        "docs/judging.md does not show the CLI's current output"
    );
}

#[test]
fn rank_json_has_the_documented_fields_in_place_order() {
    let out = clipjury(&[
        "rank",
        "docs/examples/jury-example.csv",
        "--method",
        "rank_sum",
        "--json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["method"], "rank_sum");
    let places: Vec<u64> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["place"].as_u64().unwrap())
        .collect();
    assert!(places.windows(2).all(|w| w[0] <= w[1]), "{places:?}");
    for key in [
        "kendall_w",
        "kendall_w_tie_corrected",
        "chi2",
        "df",
        "p_value",
        "jurors",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    assert!(v["jurors"][0]["spearman_rho"].is_number());
}

#[test]
fn rank_names_the_bad_line_of_a_broken_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, "juror,A,B\nDara,7,8\nSokha,7,eight\n").unwrap();
    let out = clipjury(&["rank", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn help_documents_every_option() {
    let out = clipjury(&["--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--config",
        "--database-url",
        "--listen",
        "--public-url",
        "--media-dir",
        "--web-dir",
        "--log-format",
        "--log-level",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    for key in [
        "auth.jwt_secret",
        "CLIPJURY_LOG_FORMAT",
        "uploads.expiry_hours",
        "worker.in_process",
        "storage.backend",
    ] {
        assert!(help.contains(key), "{key} missing from --help");
    }
    for cmd in ["serve", "worker", "migrate", "admin", "rank", "openapi"] {
        assert!(help.contains(cmd), "{cmd} missing from --help");
    }
}

#[test]
fn admin_create_reads_the_password_from_stdin_and_refuses_a_duplicate() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let media = dir.path().join("media");
    let run = || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clipjury"))
            .args([
                "--database-url",
                &db,
                "--media-dir",
                media.to_str().unwrap(),
                "admin",
                "create",
                "--email",
                "Ada@Example.org",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"a long enough password\n")
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("admin ada@example.org created"));
    let second = run();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("exists"));
}
