//! The public results page as the server sends it: Open Graph and Twitter tags for a published contest (every value
//! escaped), 404 with the app's index for an unknown or unpublished one, other app routes untouched; and the
//! download of a winner's 720p video under a readable file name.

use std::path::Path;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with};
use crate::judging_helpers::JudgingContest;

const INDEX: &str = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"UTF-8\" />\n    \
    <title>clipjury</title>\n  </head>\n  <body><div id=\"app\"></div></body>\n</html>\n";
const NASTY_TITLE: &str = r#"Gender & ICT <script>alert("x")</script> 'day'"#;
const GROUPS: [&str; 3] = [r#"Lotus "Crew" <b>"#, "Mekong", "Angkor"];

/// A built web app: `index.html` and one asset.
fn web_dir(dir: &Path) {
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log(1)").unwrap();
}

async fn app_with_web(public_url: Option<&str>) -> (TestApp, tempfile::TempDir) {
    let web = tempfile::tempdir().unwrap();
    web_dir(web.path());
    let path = web.path().to_owned();
    let public_url = public_url.map(str::to_owned);
    let app = spawn_app_with(move |s| {
        s.server.web_dir = path;
        s.server.public_url = public_url;
    })
    .await;
    (app, web)
}

/// Scores three entries (Lotus first), sets the nasty title, closes, confirms and publishes; records 720p and poster
/// sizes for the winner as the media worker would. Returns the contest and the winner's video id.
async fn published(app: &TestApp) -> (JudgingContest, String) {
    let admin = app.admin_token().await;
    let c = app
        .judging_contest(&admin, &GROUPS, &["J1", "J2", "J3"], false)
        .await;
    let cid = &c.contest_id;
    for (i, (_, _, entry)) in c.groups.iter().enumerate() {
        for (_, juror, _) in &c.jurors {
            app.score_entry(juror, cid, entry, [9 - i as i64; 5], "", "")
                .await;
        }
    }
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(&admin),
            Some(json!({"title": NASTY_TITLE})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.transition(&admin, cid, "closed", None).await.status,
        StatusCode::OK
    );
    let r = app
        .call(
            "POST",
            &format!("/api/contests/{cid}/results/confirm"),
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let video_id = r.body["places"][0]["media"]["video_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.transition(&admin, cid, "published", None).await.status,
        StatusCode::OK
    );
    record_media(app, &video_id).await;
    (c, video_id)
}

async fn record_media(app: &TestApp, video_id: &str) {
    use clipjury_db::entities::video;
    use sea_orm::{ActiveModelTrait as _, EntityTrait as _, Set};
    let db = app.services.db();
    let mut v: video::ActiveModel =
        video::Entity::find_by_id(video_id.parse::<uuid::Uuid>().unwrap())
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
    v.media = Set(Some(json!({
        "posters": [{"name": "poster-1280.jpg", "long_side": 1280, "width": 720, "height": 1280}],
        "renditions": [{"name": "720p.mp4", "width": 720, "height": 1280}],
    })));
    v.update(db).await.unwrap();
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = reqwest::get(app.url(path)).await.unwrap();
    let status = res.status();
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{path}"
    );
    (status, res.text().await.unwrap())
}

/// The `content` of the meta tag `key`, still escaped.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    ["property", "name"].iter().find_map(|attr| {
        let start = html.find(&format!("<meta {attr}=\"{key}\" content=\""))?;
        let rest = &html[start..];
        let value = &rest[rest.find("content=\"")? + 9..];
        Some(&value[..value.find('"')?])
    })
}

#[tokio::test]
async fn results_page_carries_escaped_open_graph_tags_for_a_published_contest() {
    let (app, _web) = app_with_web(Some("https://videos.example.org/")).await;
    let (c, video_id) = published(&app).await;
    let (status, html) = get(&app, &format!("/c/{}/results", c.slug)).await;
    assert_eq!(status, StatusCode::OK);

    // Escaped everywhere: no raw markup from the title or group names reaches the page.
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    let escaped_title =
        "Gender &amp; ICT &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;day&#39;";
    assert!(
        html.contains(&format!("<title>Results: {escaped_title}</title>")),
        "{html}"
    );
    assert_eq!(html.matches("<title>").count(), 1);
    assert_eq!(
        meta(&html, "og:title"),
        Some(format!("Results: {escaped_title}").as_str())
    );
    let description = meta(&html, "og:description").unwrap();
    assert!(
        description.contains("1. Video 1 (Lotus &quot;Crew&quot; &lt;b&gt;)"),
        "{description}"
    );
    assert!(description.contains("2. Video 2 (Mekong)"), "{description}");

    let base = "https://videos.example.org";
    assert_eq!(
        meta(&html, "og:url"),
        Some(format!("{base}/c/{}/results", c.slug).as_str())
    );
    let media = format!("{base}/api/videos/{video_id}");
    assert_eq!(
        meta(&html, "og:image"),
        Some(format!("{media}/poster-1280.jpg").as_str())
    );
    assert_eq!(meta(&html, "og:image:width"), Some("720"));
    assert_eq!(meta(&html, "og:image:height"), Some("1280"));
    assert_eq!(
        meta(&html, "og:video"),
        Some(format!("{media}/720p.mp4").as_str())
    );
    assert_eq!(
        meta(&html, "og:video:secure_url"),
        Some(format!("{media}/720p.mp4").as_str())
    );
    assert_eq!(meta(&html, "og:video:type"), Some("video/mp4"));
    assert_eq!(meta(&html, "og:video:width"), Some("720"));
    assert_eq!(meta(&html, "og:video:height"), Some("1280"));
    assert_eq!(meta(&html, "og:type"), Some("video.other"));
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    assert!(meta(&html, "twitter:image").is_some());
    // The tags sit in <head>, and the app still boots from the same page.
    let head_end = html.find("</head>").unwrap();
    assert!(html.find("og:video").unwrap() < head_end);
    assert!(html.contains("<div id=\"app\"></div>"));

    // The winner's poster and video are public, so the crawler can fetch them.
    let poster = reqwest::get(app.url(&format!("/api/videos/{video_id}/poster-1280.jpg")))
        .await
        .unwrap();
    assert_ne!(poster.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn results_page_uses_the_request_host_without_a_public_url_and_the_contest_language() {
    let (app, _web) = app_with_web(None).await;
    let (c, video_id) = published(&app).await;
    // Switching the language needs an unpublished contest: move back, change, publish again.
    let admin = &c.admin;
    let cid = &c.contest_id;
    let r = app
        .transition(admin, cid, "closed", Some("switch the page to Khmer"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            "PATCH",
            &format!("/api/contests/{cid}"),
            Some(admin),
            Some(json!({"default_locale": "km"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.transition(admin, cid, "published", None).await.status,
        StatusCode::OK
    );
    let (status, html) = get(&app, &format!("/c/{}/results", c.slug)).await;
    assert_eq!(status, StatusCode::OK);
    let base = format!("http://127.0.0.1:{}", app.port);
    assert_eq!(
        meta(&html, "og:video"),
        Some(format!("{base}/api/videos/{video_id}/720p.mp4").as_str())
    );
    assert_eq!(meta(&html, "og:video:secure_url"), None);
    assert_eq!(meta(&html, "og:locale"), Some("km_KH"));
    assert!(html.contains("<title>លទ្ធផល៖ "), "{html}");

    let r = app
        .call(
            "GET",
            &format!("/api/public/contests/{}/results", c.slug),
            None,
            None,
        )
        .await;
    assert_eq!(r.body["default_locale"], "km");
}

#[tokio::test]
async fn results_page_is_404_with_the_plain_app_for_unknown_or_unpublished_contests() {
    let (app, _web) = app_with_web(None).await;
    let (status, html) = get(&app, "/c/no-such-contest/results").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(html, INDEX);
    let head = app
        .client
        .head(app.url("/c/no-such-contest/results"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);
    assert_eq!(head.text().await.unwrap(), "");

    let admin = app.admin_token().await;
    let c = app
        .judging_contest(&admin, &["Lotus"], &["J1"], false)
        .await;
    let (status, html) = get(&app, &format!("/c/{}/results", c.slug)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("og:"), "{html}");
    assert!(!html.contains("Gender"), "{html}");
}

#[tokio::test]
async fn other_app_routes_and_assets_are_served_as_before() {
    let (app, _web) = app_with_web(None).await;
    for path in ["/", "/admin", "/i/some-token", "/c/x/results/extra", "/c/x"] {
        let (status, html) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(html, INDEX, "{path}");
    }
    let js = reqwest::get(app.url("/assets/app.js")).await.unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(js.text().await.unwrap(), "console.log(1)");
    let api = app
        .call("GET", "/api/public/contests/nope/results", None, None)
        .await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code(), "contest-not-found");
}

#[tokio::test]
async fn a_winners_720p_video_downloads_under_its_place_group_and_title() {
    let (app, _web) = app_with_web(None).await;
    let (c, video_id) = published(&app).await;
    let bytes = b"not really an mp4, but bytes to send".to_vec();
    for name in ["720p.mp4", "360p.mp4"] {
        app.services
            .storage()
            .put(&format!("videos/{video_id}/{name}"), bytes.clone().into())
            .await
            .unwrap();
    }
    let url = app.url(&format!("/api/videos/{video_id}/720p.mp4"));
    // Without the option the video plays inline.
    let res = app.client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("content-disposition").is_none());

    let res = app
        .client
        .get(format!("{url}?download=1"))
        .bearer_auth(&c.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("filename=\"1-lotus-crew-b-video-1.mp4\""),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), bytes);

    let res = app
        .client
        .get(app.url(&format!("/api/videos/{video_id}/360p.mp4?download=1")))
        .send()
        .await
        .unwrap();
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("1-lotus-crew-b-video-1-360p.mp4"),
        "{disposition}"
    );

    let res = app
        .client
        .get(format!("{url}?download=yes"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
