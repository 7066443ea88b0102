//! The baseline of `bench/load.mjs`: an actix-web hello-world handler, built from the same actix-web as `clipjury`
//! and run with the same worker count (actix's default, one per core) inside a Tokio runtime as `clipjury serve`.
//!
//!   cargo build --release --example hello && target/release/examples/hello 127.0.0.1:8081

use actix_web::{App, HttpServer, get};

#[get("/")]
async fn hello() -> &'static str {
    "Hello, world!"
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8081".to_owned());
    HttpServer::new(|| App::new().service(hello))
        .bind(listen)?
        .run()
        .await
}
