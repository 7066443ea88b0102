//! Reading the shared job queue and the workers' logs.

use clipjury_db::repo::jobs::JobStatus;
use std::time::Duration;

use clipjury_db::repo;
use clipjury_db::repo::jobs::JobRow;
use uuid::Uuid;

use crate::cluster::{Cluster, wait_for};

/// Waits until `n` jobs are done and none is queued or running; panics on a failed job.
pub async fn wait_until_done(c: &Cluster, n: usize, limit: Duration) -> Vec<JobRow> {
    wait_for(limit, "every job to finish", || async {
        let failed = repo::jobs::list_by_status(&c.db, JobStatus::Failed)
            .await
            .unwrap();
        assert!(
            failed.is_empty(),
            "failed jobs: {failed:?}\n{}",
            c.worker_logs()
        );
        let done = repo::jobs::list_by_status(&c.db, JobStatus::Done)
            .await
            .unwrap();
        (done.len() >= n).then_some(done)
    })
    .await
}

/// Waits until a job is running and its video has transcode progress; returns the job and its holder.
pub async fn wait_mid_transcode(c: &Cluster) -> (Uuid, String) {
    let start = std::time::Instant::now();
    let mut seen = Vec::new();
    loop {
        for job in repo::jobs::list_by_status(&c.db, JobStatus::Running)
            .await
            .unwrap()
        {
            let Some(video) = job.payload["video_id"]
                .as_str()
                .and_then(|v| v.parse().ok())
            else {
                continue;
            };
            let v = repo::videos::find(&c.db, video).await.unwrap().unwrap();
            seen.push((start.elapsed().as_millis(), v.progress));
            if v.progress > 0.05 && v.progress < 0.5 {
                return (job.id, job.leased_by.unwrap());
            }
        }
        if start.elapsed() > Duration::from_secs(120) {
            let mut state = String::new();
            for status in JobStatus::ALL {
                for job in repo::jobs::list_by_status(&c.db, status).await.unwrap() {
                    state += &format!("{job:?}\n");
                }
            }
            panic!(
                "no job got mid-transcode (seen {seen:?}):\n{state}\n{}",
                c.worker_logs()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The "video ready" lines of a JSON log.
pub fn ready_lines_of(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("\"video ready\""))
        .map(str::to_owned)
        .collect()
}

/// Every "video ready" line of every worker.
pub fn ready_lines(c: &Cluster) -> Vec<String> {
    ready_lines_of(&c.worker_logs())
}
