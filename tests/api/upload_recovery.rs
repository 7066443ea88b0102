//! What a restart or a dropped connection leaves, and how uploads resume from it. A tus part is acknowledged before its last flush to disk (the final PATCH waits for all
//! parts), so after a power cut HEAD checks the parts and reports only the bytes that survived; and an upload whose
//! bytes all arrived but which the server never completed is completed on the next HEAD.

use bytes::Bytes;
use clipjury_db::repo;
use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app, test_bytes};

fn offset_of(res: &reqwest::Response) -> u64 {
    res.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn upload_id(loc: &str) -> &str {
    loc.trim_start_matches("/api/uploads/")
}

/// The stored upload, read back through the same path the media worker uses.
async fn stored_bytes(app: &TestApp, id: &str) -> Vec<u8> {
    use futures_util::TryStreamExt as _;
    let (_, stream) = clipjury_service::uploads::source_stream(&app.services, id)
        .await
        .unwrap();
    let pieces: Vec<Bytes> = stream.try_collect().await.unwrap();
    pieces.concat()
}

async fn submission_status(app: &TestApp, group: &str, contest_id: &str) -> String {
    let sub = app.own_submission(group, contest_id).await;
    sub["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn head_after_a_restart_reports_the_offset_and_the_upload_finishes() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let data = test_bytes(50_000, 2);
    let loc = app.create_upload(&c.group, data.len()).await;
    let r = app.patch_upload(&c.group, &loc, 0, &data[..20_000]).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let restarted = app.restart().await;
    let head = restarted.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    assert_eq!(offset_of(&head), 20_000);
    let r = restarted
        .patch_upload(&c.group, &loc, 20_000, &data[20_000..])
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        submission_status(&restarted, &c.group, &c.contest_id).await,
        "processing"
    );
}

#[tokio::test]
async fn a_dropped_connection_keeps_the_bytes_that_arrived() {
    use tokio::io::AsyncWriteExt as _;
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let data = test_bytes(100_000, 3);
    let loc = app.create_upload(&c.group, data.len()).await;
    let mut sock = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    let head = format!(
        "PATCH {loc} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: {}\r\n\r\n",
        c.group,
        data.len()
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    sock.write_all(&data[..60_000]).await.unwrap();
    sock.flush().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(sock);
    let mut offset = 0;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        offset = offset_of(&app.tus("HEAD", &loc, Some(&c.group), &[], None).await);
        if offset != 0 {
            break;
        }
    }
    assert_eq!(offset, 60_000);
    let r = app
        .patch_upload(&c.group, &loc, 60_000, &data[60_000..])
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let upload = repo::uploads::find(app.services.db(), upload_id(&loc))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(upload.bytes_received, 100_000, "no byte received twice");
    assert!(stored_bytes(&app, upload_id(&loc)).await == data);
}

#[tokio::test]
async fn a_part_lost_in_a_power_cut_moves_the_offset_back_and_the_client_resends_it() {
    let app = spawn_app().await;
    if !app.services.storage().may_lose_recent_writes() {
        return; // a bucket acknowledges only durable objects: nothing to recover
    }
    let c = app.open_contest_with_group().await;
    let data = test_bytes(90_000, 7);
    let loc = app.create_upload(&c.group, data.len()).await;
    for (offset, chunk) in [(0, &data[..30_000]), (30_000, &data[30_000..60_000])] {
        let r = app.patch_upload(&c.group, &loc, offset, chunk).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    // The power cut: the second part reached the disk only in part.
    let parts = repo::uploads::parts(app.services.db(), upload_id(&loc))
        .await
        .unwrap();
    assert_eq!(parts.len(), 2);
    let second = app.settings.media.dir.join(&parts[1].storage_key);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&second)
        .unwrap()
        .set_len(12_345)
        .unwrap();

    let restarted = app.restart().await;
    // A client that skips HEAD and appends at the offset it last saw is stopped.
    let stale = restarted
        .patch_upload(&c.group, &loc, 60_000, &data[60_000..])
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(!second.exists(), "the damaged part is deleted");
    let head = restarted.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(offset_of(&head), 30_000, "only the intact part counts");
    let r = restarted
        .patch_upload(&c.group, &loc, 30_000, &data[30_000..])
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset_of(&r), 90_000);
    assert_eq!(
        submission_status(&restarted, &c.group, &c.contest_id).await,
        "processing"
    );
    assert!(
        stored_bytes(&restarted, upload_id(&loc)).await == data,
        "the stored bytes differ from the sent ones"
    );
}

#[tokio::test]
async fn a_missing_part_file_counts_as_lost_and_intact_uploads_keep_their_offset() {
    let app = spawn_app().await;
    if !app.services.storage().may_lose_recent_writes() {
        return;
    }
    let c = app.open_contest_with_group().await;
    let data = test_bytes(40_000, 8);
    let loc = app.create_upload(&c.group, data.len()).await;
    let r = app.patch_upload(&c.group, &loc, 0, &data[..25_000]).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let head = app.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    assert_eq!(offset_of(&head), 25_000, "an intact part keeps its bytes");

    let parts = repo::uploads::parts(app.services.db(), upload_id(&loc))
        .await
        .unwrap();
    std::fs::remove_file(app.settings.media.dir.join(&parts[0].storage_key)).unwrap();
    let head = app.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    assert_eq!(offset_of(&head), 0);
    let r = app.patch_upload(&c.group, &loc, 0, &data).await;
    assert_eq!(offset_of(&r), 40_000);
    assert!(stored_bytes(&app, upload_id(&loc)).await == data);
}

#[tokio::test]
async fn an_upload_whose_bytes_all_arrived_before_a_crash_is_completed_on_head() {
    let app = spawn_app().await;
    let c = app.open_contest_with_group().await;
    let data = test_bytes(20_000, 9);
    let loc = app.create_upload(&c.group, data.len()).await;
    let id = upload_id(&loc);
    // What the server did before it died: the last part stored and recorded, the upload not yet completed.
    let key = format!("uploads/{id}/00000000000000000000-crashed");
    let mut w = app.services.storage().writer(&key).await.unwrap();
    w.write(Bytes::from(data.clone())).await.unwrap();
    w.finish_without_flush().await.unwrap();
    let db = app.services.db();
    let until = chrono::Utc::now() + chrono::Duration::minutes(1);
    assert!(
        repo::uploads::try_lock(db, id, 0, "crashed", until)
            .await
            .unwrap()
    );
    assert!(
        repo::uploads::commit_part(db, id, "crashed", 0, 20_000, &key, until)
            .await
            .unwrap()
    );
    assert_eq!(
        submission_status(&app, &c.group, &c.contest_id).await,
        "uploading"
    );

    let restarted = app.restart().await;
    let head = restarted.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(offset_of(&head), 20_000);
    assert_eq!(
        submission_status(&restarted, &c.group, &c.contest_id).await,
        "processing"
    );
    // A second HEAD and a late empty PATCH make no second video.
    restarted.tus("HEAD", &loc, Some(&c.group), &[], None).await;
    let r = restarted.patch_upload(&c.group, &loc, 20_000, &[]).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(restarted.run_pending_jobs().await, 1, "one processing job");
}
