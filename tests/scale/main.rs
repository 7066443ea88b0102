//! Scale-out: several `clipjury serve` and `clipjury worker` processes of the debug binary sharing PostgreSQL and S3.
//! Ignored by a plain `cargo test` (they need both servers); `make test-scale` runs them through
//! `scripts/with-postgres.sh scripts/with-s3.sh`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod cluster;
mod jobs;

use clipjury_db::repo::jobs::JobStatus;
use std::time::Duration;

use clipjury_db::repo;
use cluster::{Cluster, LEASE_SECONDS, wait_for};

/// A 1080x1920 phone-like clip long enough that a worker can be stopped mid-transcode (cached in target/fixtures).
fn long_clip() -> Vec<u8> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fixtures/scale-8s.mp4");
    if !path.exists() {
        let tmp = path.with_extension("tmp.mp4");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let ok = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i"])
            .arg("testsrc2=size=1080x1920:rate=30,noise=alls=20:allf=t")
            .args(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"])
            .args([
                "-t",
                "8",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-g",
                "30",
                "-pix_fmt",
                "yuv420p",
            ])
            .args(["-c:a", "aac", "-ac", "2"])
            .arg(&tmp)
            .status()
            .unwrap()
            .success();
        assert!(ok, "ffmpeg could not generate the long clip");
        std::fs::rename(&tmp, &path).unwrap();
    }
    std::fs::read(path).unwrap()
}

fn short_clip() -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = std::process::Command::new("bash")
        .arg(root.join("tests/fixtures/make-clips.sh"))
        .arg(root.join("target/fixtures"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(root.join("target/fixtures/android-portrait.mp4")).unwrap()
}

#[tokio::test]
#[ignore = "needs PostgreSQL and S3: make test-scale"]
async fn two_servers_and_two_workers_share_uploads_and_jobs_and_survive_a_killed_worker() {
    let mut c = Cluster::new().await;
    c.add_server().await;
    c.add_server().await;
    c.create_admin(client::ADMIN_EMAIL, client::ADMIN_PASSWORD);
    c.add_worker();
    c.add_worker();
    let (a, b) = (&c.servers[0], &c.servers[1]);
    let admin = client::login(a).await;
    let contest = client::open_contest(b, &admin).await;

    // One upload whose PATCHes alternate between the two servers arrives byte for byte.
    let clip = short_clip();
    let group = client::group(a, &admin, &contest, "Group 1").await;
    client::upload(&[a, b], &group, &clip, 256 * 1024).await;
    let sub = client::submission(b, &group, &contest).await;
    let sub_id = sub["id"].as_str().unwrap().to_owned();
    assert_eq!(
        client::original(a, &admin, &contest, &sub_id).await,
        clip,
        "original differs"
    );

    // Five more: six uploads, each processed exactly once, by both workers between them.
    let mut groups = vec![group];
    for n in 2..=6 {
        let g = client::group(a, &admin, &contest, &format!("Group {n}")).await;
        client::upload(&[b, a], &g, &clip, 1024 * 1024).await;
        groups.push(g);
    }
    // Two jobs a video: the stream copy that makes it playable, then the encodes.
    let done = jobs::wait_until_done(&c, 12, Duration::from_secs(240)).await;
    for job in &done {
        assert_eq!(job.attempts, 1, "job {} ran {} times", job.id, job.attempts);
    }
    for g in &groups {
        let s = client::submission(a, g, &contest).await;
        assert_eq!(s["status"], "ready", "{s}");
    }
    let ready = jobs::ready_lines(&c);
    assert_eq!(ready.len(), 6, "{ready:?}");
    let by_worker: Vec<usize> = c
        .workers
        .iter()
        .map(|w| jobs::ready_lines_of(&w.log_text()).len())
        .collect();
    assert!(
        by_worker.iter().all(|&n| n > 0),
        "both workers take jobs: {by_worker:?}"
    );
    // The same story in the metrics: each node counts what it did, the queue gauge is shared.
    let mut transcodes = 0.0;
    for w in &c.workers {
        transcodes += w
            .metric(r#"clipjury_transcode_seconds_count{rendition="720p+360p"}"#)
            .await;
    }
    assert_eq!(
        transcodes, 6.0,
        "one transcode (both renditions from one decode) per upload across the workers"
    );
    let received = a.metric("clipjury_upload_bytes_total").await
        + b.metric("clipjury_upload_bytes_total").await;
    assert_eq!(
        received,
        (6 * clip.len()) as f64,
        "every byte stored once, whichever node got it"
    );
    assert_eq!(b.metric(r#"clipjury_jobs{status="done"}"#).await, 12.0);

    // A worker killed mid-transcode loses nothing: its job completes on the other worker after the lease.
    let g = client::group(a, &admin, &contest, "Group 7").await;
    client::upload(&[a, b], &g, &long_clip(), 4 * 1024 * 1024).await;
    let (job, holder) = jobs::wait_mid_transcode(&c).await;
    let victim = c
        .workers
        .iter()
        .position(|w| holder.starts_with(&format!("{}-", w.pid())))
        .unwrap();
    c.workers[victim].child.kill().unwrap();
    c.workers[victim].child.wait().unwrap();
    let killed_at = std::time::Instant::now();
    let finished = wait_for(
        Duration::from_secs(180),
        "the killed worker's job to finish elsewhere",
        || async {
            repo::jobs::find(&c.db, job)
                .await
                .unwrap()
                .filter(|j| j.status == JobStatus::Done)
        },
    )
    .await;
    assert!(
        killed_at.elapsed() >= Duration::from_secs(LEASE_SECONDS) / 2,
        "reclaimed before the lease ended"
    );
    assert_eq!(
        finished.attempts, 2,
        "one killed attempt, one that finished"
    );
    let s = client::submission(b, &g, &contest).await;
    assert_eq!(s["status"], "ready", "{s}");
    let survivor = &c.workers[1 - victim];
    assert_eq!(
        jobs::ready_lines_of(&survivor.log_text()).len(),
        by_worker[1 - victim] + 1
    );
    let hd = s["current_video"]["video_720p_url"].as_str().unwrap();
    let res = reqwest::Client::new()
        .get(a.url(hd))
        .bearer_auth(&g)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    assert!(res.bytes().await.unwrap().len() > 10_000);
}

#[tokio::test]
#[ignore = "needs PostgreSQL and S3: make test-scale"]
async fn sigterm_during_a_job_releases_it_and_the_next_worker_finishes_it() {
    let mut c = Cluster::new().await;
    c.add_server().await;
    c.create_admin(client::ADMIN_EMAIL, client::ADMIN_PASSWORD);
    c.add_worker();
    let a = &c.servers[0];
    let admin = client::login(a).await;
    let contest = client::open_contest(a, &admin).await;
    let g = client::group(a, &admin, &contest, "Group 1").await;
    client::upload(&[a], &g, &long_clip(), 4 * 1024 * 1024).await;
    let (job, _) = jobs::wait_mid_transcode(&c).await;

    c.workers[0].terminate();
    let status = c.workers[0].wait_exit(Duration::from_secs(20));
    assert!(
        status.success(),
        "worker exit {status}: {}",
        c.worker_logs()
    );
    let row = repo::jobs::find(&c.db, job).await.unwrap().unwrap();
    assert_ne!(
        row.status,
        JobStatus::Running,
        "SIGTERM left the job running"
    );
    assert!(row.leased_by.is_none());
    if row.status == JobStatus::Queued {
        assert_eq!(
            row.attempts, 0,
            "a released job does not count as an attempt"
        );
    }

    c.add_worker();
    let done = wait_for(
        Duration::from_secs(180),
        "the released job to finish",
        || async {
            repo::jobs::find(&c.db, job)
                .await
                .unwrap()
                .filter(|j| j.status == JobStatus::Done)
        },
    )
    .await;
    assert_eq!(done.attempts, 1);
    let s = client::submission(&c.servers[0], &g, &contest).await;
    assert_eq!(s["status"], "ready", "{s}");
}
