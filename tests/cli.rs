//! The binary's offline commands, run as a user would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::json;

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

fn rank_json(args: &[&str]) -> serde_json::Value {
    let out = clipjury(&[&["rank"], args, &["--json"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn rank_tie_rule_is_chosen_and_the_json_says_what_broke_each_tie() {
    let sheet = "docs/examples/jury-example.csv";
    let entry = |v: &serde_json::Value, i: usize| {
        let e = &v["entries"][i];
        (
            e["entry"].clone(),
            e["place"].clone(),
            e["tie_broken_by"].clone(),
            e["tied"].clone(),
        )
    };
    // Groups 3 and 2 share the mean 116/15: the median separates them, unless there is no rule.
    let default = rank_json(&[sheet]);
    assert_eq!(default["tie_rule"], json!(["median", "first_places"]));
    assert_eq!(
        entry(&default, 1),
        (json!("Group 3"), json!(2), json!("median"), json!(false))
    );
    let none = rank_json(&[sheet, "--tie-rule", "none"]);
    assert_eq!(none["tie_rule"], json!([]));
    assert_eq!(
        entry(&none, 1),
        (json!("Group 2"), json!(2), json!(null), json!(true))
    );
    assert_eq!(none["entries"][1]["tied_on_value"], true);
    let best = rank_json(&[sheet, "--tie-rule", "best_score,median"]);
    assert_eq!(
        entry(&best, 1),
        (
            json!("Group 2"),
            json!(2),
            json!("best_score"),
            json!(false)
        )
    );
    let out = clipjury(&["rank", sheet, "--tie-rule", "median,coin"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--tie-rule") && err.contains("coin"), "{err}");
}

#[test]
fn rank_reads_the_apps_score_export_layout_too() {
    // The worked example, rewritten one row per juror and entry as the app exports it.
    let wide = std::fs::read_to_string("docs/examples/jury-example.csv").unwrap();
    let mut lines = wide.lines();
    let entries: Vec<&str> = lines.next().unwrap().split(',').skip(1).collect();
    let mut long = String::from("juror,entry,title,status,total,feedback\n");
    for row in lines {
        let cells: Vec<&str> = row.split(',').collect();
        for (entry, score) in entries.iter().zip(&cells[1..]) {
            let status = if score.is_empty() { "recused" } else { "final" };
            long.push_str(&format!(
                "{},{entry},Video,{status},{score},\"=1+1, fine\"\n",
                cells[0]
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scores.csv");
    std::fs::write(&path, long).unwrap();
    let path = path.to_str().unwrap();
    for method in ["mean", "rank_sum", "zscore"] {
        assert_eq!(
            rank_json(&[path, "--method", method]),
            rank_json(&["docs/examples/jury-example.csv", "--method", method]),
            "{method}"
        );
    }
    // Without totals the long layout cannot be ranked, and says so.
    std::fs::write(
        dir.path().join("marks.csv"),
        "juror,entry,message\nDara,G1,8\n",
    )
    .unwrap();
    let out = clipjury(&["rank", dir.path().join("marks.csv").to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a `total` column"));
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
