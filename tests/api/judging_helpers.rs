//! Test helpers for judging: ready entries without the media pipeline, a contest with groups and jurors in
//! `judging`, and scoring through the API.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;

impl TestApp {
    /// Marks a group's submission as having a ready video, as the media pipeline would, by writing the rows directly
    /// (tests only). Returns the submission (entry) id.
    pub async fn make_entry_ready(&self, group: &str, contest_id: &str) -> String {
        use clipjury_db::entities::video;
        use sea_orm::{ActiveModelTrait as _, Set};
        let r = self
            .call(
                "GET",
                &format!("/api/contests/{contest_id}/submission"),
                Some(group),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let sub_id: Uuid = r.body["id"].as_str().unwrap().parse().unwrap();
        let db = self.services.db();
        let video_id = Uuid::now_v7();
        let now = chrono::Utc::now();
        video::ActiveModel {
            id: Set(video_id),
            submission_id: Set(sub_id),
            upload_id: Set(format!("test-{video_id}")),
            source_bytes: Set(1000),
            original_filename: Set(Some("clip.mp4".into())),
            status: Set(clipjury_domain::video::VideoStatus::Ready),
            failure_code: Set(None),
            failure_message: Set(None),
            progress: Set(1.0),
            media: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await
        .unwrap();
        let mut sub = self.submission_model(&sub_id.to_string()).await;
        sub.current_video_id = Set(Some(video_id));
        sub.latest_video_id = Set(Some(video_id));
        sub.update(db).await.unwrap();
        sub_id.to_string()
    }
}

impl TestApp {
    /// The submission (entry) row, to change directly in tests.
    pub async fn submission_model(
        &self,
        entry_id: &str,
    ) -> clipjury_db::entities::submission::ActiveModel {
        use clipjury_db::entities::submission;
        use sea_orm::EntityTrait as _;
        let id: Uuid = entry_id.parse().unwrap();
        submission::Entity::find_by_id(id)
            .one(self.services.db())
            .await
            .unwrap()
            .unwrap()
            .into()
    }
}

/// A contest in `judging` with ready entries and redeemed jurors.
pub struct JudgingContest {
    pub admin: String,
    pub contest_id: String,
    pub slug: String,
    /// (group name, group session, entry id), in entry order.
    pub groups: Vec<(String, String, String)>,
    /// (juror name, juror session, juror id), in the order they were added.
    pub jurors: Vec<(String, String, String)>,
}

impl TestApp {
    /// Creates a contest with `groups` (each with a ready entry titled "Video <n>") and `jurors`, and moves it
    /// to `judging`.
    pub async fn judging_contest(
        &self,
        admin: &str,
        groups: &[&str],
        jurors: &[&str],
        anonymised: bool,
    ) -> JudgingContest {
        let created = self.create_contest(admin, "Gender & ICT").await;
        let contest_id = created["id"].as_str().unwrap().to_owned();
        let slug = created["slug"].as_str().unwrap().to_owned();
        if anonymised {
            let r = self
                .call(
                    "PATCH",
                    &format!("/api/contests/{contest_id}"),
                    Some(admin),
                    Some(json!({"anonymised": true})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        assert_eq!(
            self.transition(admin, &contest_id, "open", None)
                .await
                .status,
            StatusCode::OK
        );
        let mut gs = Vec::new();
        for (i, name) in groups.iter().enumerate() {
            let (_, invite) = self
                .add_participant(admin, &contest_id, "group", name)
                .await;
            let session = self.redeem(&invite).await;
            let body = json!({
                "title": format!("Video {}", i + 1), "key_message": "Respect women equally",
                "purpose": "Change habits", "audience": "Teenagers", "consent_confirmed": true
            });
            let r = self
                .call(
                    "PUT",
                    &format!("/api/contests/{contest_id}/submission"),
                    Some(&session),
                    Some(body),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let entry = self.make_entry_ready(&session, &contest_id).await;
            gs.push(((*name).to_owned(), session, entry));
        }
        let mut js = Vec::new();
        for name in jurors {
            let (id, invite) = self
                .add_participant(admin, &contest_id, "juror", name)
                .await;
            js.push(((*name).to_owned(), self.redeem(&invite).await, id));
        }
        assert_eq!(
            self.transition(admin, &contest_id, "judging", None)
                .await
                .status,
            StatusCode::OK
        );
        JudgingContest {
            admin: admin.to_owned(),
            contest_id,
            slug,
            groups: gs,
            jurors: js,
        }
    }

    /// Saves and submits a juror's five default-rubric marks for an entry; asserts both succeed.
    pub async fn score_entry(
        &self,
        juror: &str,
        contest_id: &str,
        entry_id: &str,
        marks: [i64; 5],
        private_comment: &str,
        feedback: &str,
    ) -> Vec<Value> {
        let keys = [
            "message",
            "creativity",
            "technical_quality",
            "impact",
            "respect_consent",
        ];
        let scores: serde_json::Map<String, Value> = keys
            .iter()
            .zip(marks)
            .map(|(k, m)| ((*k).to_owned(), json!(m)))
            .collect();
        let path = format!("/api/contests/{contest_id}/entries/{entry_id}/score");
        let saved = self
            .call(
                "PUT",
                &path,
                Some(juror),
                Some(json!({"scores": scores, "private_comment": private_comment,
                    "feedback": feedback, "version": 0})),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let submitted = self
            .call("POST", &format!("{path}/submit"), Some(juror), None)
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        assert_eq!(submitted.body["progress"], "final");
        vec![saved.body, submitted.body]
    }
}

/// Five whole marks from 1 to 10 whose average is `overall` (a multiple of 0.2).
pub fn marks_for(overall: f64) -> [i64; 5] {
    let sum = (overall * 5.0).round() as i64;
    let base = sum / 5;
    let extra = sum % 5;
    let mut m = [base; 5];
    for slot in m.iter_mut().take(extra as usize) {
        *slot += 1;
    }
    m
}

impl TestApp {
    /// Sends a request with an optional bearer token and text body; returns status, content type and body text.
    pub async fn call_text(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, String, String) {
        let mut req = reqwest::Client::new().request(method.parse().unwrap(), self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("Content-Type", "text/csv").body(b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, content_type, res.text().await.unwrap())
    }
}
