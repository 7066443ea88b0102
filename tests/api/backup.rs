//! `clipjury backup` while groups upload and jurors score, then `clipjury restore` into an empty data folder: every
//! finished upload, score and audit entry is there, and an unfinished upload resumes. Altered backups are refused.

use clipjury::backup;
use clipjury::config::Settings;
use clipjury::startup::Application;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, test_bytes};

const CHUNK: usize = 100_000;

#[tokio::test]
async fn a_backup_taken_during_uploads_and_scoring_restores_everything_finished_before_it() {
    let app = spawn_app().await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("backup");
    if app.settings.database.url.starts_with("postgres") {
        let err = backup::backup(&app.settings, &dir).await.unwrap_err();
        assert!(format!("{err:#}").contains("pg_dump"), "{err:#}");
        return;
    }
    // A finished upload, and another group halfway through one.
    let c = app.open_contest_with_group().await;
    let finished = test_bytes(6 * CHUNK, 7);
    app.upload_file(&c.group, &finished).await;
    let late = app
        .another_group(&c.admin, &c.contest_id, "Late group")
        .await;
    let unfinished = test_bytes(20 * CHUNK, 8);
    let loc = app.create_upload(&late, unfinished.len()).await;
    for i in 0..3 {
        send_chunk(&app, &late, &loc, &unfinished, i).await;
    }
    // A judging session: one final score, one draft.
    let j = app
        .judging_contest(&c.admin, &["G1", "G2"], &["J1", "J2"], false)
        .await;
    let (entry, juror1, juror2) = (&j.groups[0].2, &j.jurors[0].1, &j.jurors[1].1);
    app.score_entry(
        juror1,
        &j.contest_id,
        entry,
        [8, 7, 6, 9, 10],
        "private",
        "Well told",
    )
    .await;
    save_draft(&app, juror2, &j.contest_id, entry, 0, 5).await;

    let audit_before = [
        audit_ids(&app, &c.contest_id).await,
        audit_ids(&app, &j.contest_id).await,
    ];
    let submissions_before = submissions(&app, &c.admin, &c.contest_id).await;

    // The backup runs while the unfinished upload goes on and the second juror keeps saving.
    let busy = async {
        for i in 3..8 {
            send_chunk(&app, &late, &loc, &unfinished, i).await;
            save_draft(
                &app,
                juror2,
                &j.contest_id,
                entry,
                i32::try_from(i - 2).unwrap(),
                6,
            )
            .await;
        }
    };
    let (manifest, ()) = tokio::join!(backup::backup(&app.settings, &dir), busy);
    let manifest = manifest.unwrap();
    assert!(manifest.media.iter().any(|f| f.path.starts_with("media/")));
    assert_eq!(backup::verify(&dir).await.unwrap(), manifest);

    // Restore into an empty data folder and start a server on it.
    let target = tempfile::tempdir().unwrap();
    let restored_settings = settings_in(&app.settings, target.path());
    backup::restore(&restored_settings, &dir).await.unwrap();
    let restored = start(&restored_settings).await;

    // The JWT secret lives in the database, so the sessions issued before still work.
    for (i, contest) in [&c.contest_id, &j.contest_id].into_iter().enumerate() {
        let after = audit_ids(&restored, contest).await;
        for id in &audit_before[i] {
            assert!(
                after.contains(id),
                "audit entry {id} is missing after the restore"
            );
        }
    }
    let subs = submissions(&restored, &c.admin, &c.contest_id).await;
    let first = &subs[0];
    assert_eq!(first["id"], submissions_before[0]["id"]);
    assert_eq!(first["latest_video"]["source_bytes"], finished.len());
    let original = restored
        .client
        .get(restored.url(&format!(
            "/api/contests/{}/submissions/{}/original",
            c.contest_id,
            first["id"].as_str().unwrap()
        )))
        .bearer_auth(&c.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(original.status(), StatusCode::OK);
    assert_eq!(
        original.bytes().await.unwrap().as_ref(),
        finished.as_slice(),
        "the finished upload, byte for byte"
    );

    let card = &restored
        .call(
            "GET",
            &format!("/api/contests/{}/entries/{entry}", j.contest_id),
            Some(juror1),
            None,
        )
        .await
        .body["my_score"];
    assert_eq!(card["progress"], "final", "{card}");
    assert_eq!(mark(&card["scores"]["message"]), Some(8.0), "{card}");
    assert_eq!(card["feedback"], "Well told");
    let draft = &restored
        .call(
            "GET",
            &format!("/api/contests/{}/entries/{entry}", j.contest_id),
            Some(juror2),
            None,
        )
        .await
        .body["my_score"];
    let m = mark(&draft["scores"]["message"]);
    assert!(
        m == Some(5.0) || m == Some(6.0),
        "the draft saved before or during the backup: {draft}"
    );

    // The unfinished upload resumes from what the restored database recorded, and completes.
    let head = restored.tus("HEAD", &loc, Some(&late), &[], None).await;
    assert_eq!(head.status(), StatusCode::OK);
    let offset: usize = head.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3 * CHUNK..=8 * CHUNK).contains(&offset), "offset {offset}");
    assert_eq!(offset % CHUNK, 0, "whole PATCHes only");
    for i in offset / CHUNK..unfinished.len() / CHUNK {
        send_chunk(&restored, &late, &loc, &unfinished, i).await;
    }
    let sub = restored.own_submission(&late, &c.contest_id).await;
    assert_eq!(sub["status"], "processing", "{sub}");

    // A second restore into the same, now used, target is refused.
    let err = backup::restore(&restored_settings, &dir).await.unwrap_err();
    assert!(
        format!("{err:#}").contains("refusing to restore over the existing database"),
        "{err:#}"
    );
}

#[tokio::test]
async fn an_altered_or_padded_backup_and_a_used_backup_folder_are_refused() {
    let app = spawn_app().await;
    if app.settings.database.url.starts_with("postgres") {
        return; // the SQLite-only path is covered above
    }
    let c = app.open_contest_with_group().await;
    app.upload_file(&c.group, &test_bytes(2 * CHUNK, 9)).await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("backup");
    let manifest = backup::backup(&app.settings, &dir).await.unwrap();
    let err = backup::backup(&app.settings, &dir).await.unwrap_err();
    assert!(format!("{err:#}").contains("not empty"), "{err:#}");

    // One flipped byte in a media file.
    let victim = dir.join(&manifest.media[0].path);
    let mut bytes = std::fs::read(&victim).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(&victim, &bytes).unwrap();
    let target = tempfile::tempdir().unwrap();
    let settings = settings_in(&app.settings, target.path());
    let err = format!("{:#}", backup::restore(&settings, &dir).await.unwrap_err());
    assert!(
        err.contains(&manifest.media[0].path) && err.contains("checksum differs"),
        "{err}"
    );
    assert!(
        !target.path().join("clipjury.db").exists(),
        "nothing is written before the check passes"
    );
    bytes[0] ^= 0xff;
    std::fs::write(&victim, &bytes).unwrap();
    backup::verify(&dir).await.unwrap();

    // A file the manifest does not list, and a missing one.
    std::fs::write(dir.join("media/extra.bin"), b"x").unwrap();
    let err = format!("{:#}", backup::verify(&dir).await.unwrap_err());
    assert!(
        err.contains("media/extra.bin: not in the manifest"),
        "{err}"
    );
    std::fs::remove_file(dir.join("media/extra.bin")).unwrap();
    std::fs::remove_file(dir.join("clipjury.db")).unwrap();
    let err = format!("{:#}", backup::verify(&dir).await.unwrap_err());
    assert!(err.contains("clipjury.db: missing"), "{err}");
}

async fn submissions(app: &TestApp, admin: &str, contest: &str) -> Value {
    let path = format!("/api/contests/{contest}/submissions");
    app.call("GET", &path, Some(admin), None).await.body
}

/// PATCHes the `i`-th chunk of `bytes` into the upload at `loc`.
async fn send_chunk(app: &TestApp, group: &str, loc: &str, bytes: &[u8], i: usize) {
    let end = ((i + 1) * CHUNK).min(bytes.len());
    let r = app
        .patch_upload(group, loc, i * CHUNK, &bytes[i * CHUNK..end])
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

async fn save_draft(
    app: &TestApp,
    juror: &str,
    contest: &str,
    entry: &str,
    version: i32,
    mark: i64,
) {
    let r = app
        .call(
            "PUT",
            &format!("/api/contests/{contest}/entries/{entry}/score"),
            Some(juror),
            Some(json!({ "scores": { "message": mark }, "version": version })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// A mark as a number, whether the API wrote it as a JSON number or an exact decimal string.
fn mark(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

async fn audit_ids(app: &TestApp, contest: &str) -> Vec<Value> {
    let admin = app.admin_token().await;
    let r = app
        .call(
            "GET",
            &format!("/api/contests/{contest}/audit"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect()
}

/// The same settings with the database and media folder in `dir`, empty (on S3: a fresh prefix).
fn settings_in(settings: &Settings, dir: &std::path::Path) -> Settings {
    let mut s = settings.clone();
    s.database.url = format!("sqlite://{}", dir.join("clipjury.db").display());
    s.media.dir = dir.join("media");
    if let Ok(endpoint) = std::env::var("CLIPJURY_TEST_S3_ENDPOINT") {
        crate::helpers::use_test_s3(&mut s, &endpoint);
    }
    s
}

async fn start(settings: &Settings) -> TestApp {
    let app = Application::build(settings)
        .await
        .expect("the restored app builds");
    let port = app.port();
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp::attach(port, services, settings.clone())
}
