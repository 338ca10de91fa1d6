//! PostgreSQL gone under load: a TCP proxy the test controls stands between Essor and
//! PostgreSQL and is cut (every connection closed, new ones refused), then restored. While it
//! is cut, every request answers a 503 problem with `Retry-After` within a second; once it is
//! back, Essor serves again by itself within 5 seconds. Both are measured and printed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};

use crate::builders::DossierBuilder;
use crate::helpers::{postgres_available, spawn_app_with, Backend};

/// Forwards 127.0.0.1:<port> to `upstream` while open; cut, it closes every connection and
/// refuses new ones (accepts and closes at once).
struct Proxy {
    port: u16,
    open: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
    acceptor: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (is_open, all) = (open.clone(), links.clone());
        let acceptor = tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else { continue };
                if !is_open.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                all.lock().unwrap().push(link.abort_handle());
            }
        });
        Proxy { port, open, links, acceptor }
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
        self.acceptor.abort();
    }
}

/// One answer: when it was asked (since the start), how long it took, its status, and whether
/// a 503 was a problem with `Retry-After`.
#[derive(Debug, Clone, Copy)]
struct Answer {
    at: Duration,
    took: Duration,
    status: u16,
    well_formed_503: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_503_within_a_second_and_essor_recovers_by_itself() {
    if !postgres_available() {
        return;
    }
    let upstream = std::env::var("TEST_DATABASE_URL")
        .ok()
        .and_then(|u| url::Url::parse(&u).ok())
        .map(|u| format!("{}:{}", u.host_str().unwrap_or("127.0.0.1"), u.port().unwrap_or(5432)))
        .unwrap_or_else(|| "127.0.0.1:5432".into());
    let proxy = Proxy::start(upstream).await;
    let proxy_port = proxy.port;
    let app = spawn_app_with(Backend::Postgres, |settings| {
        let mut url = url::Url::parse(&settings.database_url).unwrap();
        url.set_port(Some(proxy_port)).unwrap();
        settings.database_url = url.to_string();
    })
    .await;
    let dossier = DossierBuilder::new(&app).draft().await;
    let started = Instant::now();
    let answers: Arc<Mutex<Vec<Answer>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let (instructor, admin) = (app.instructor(), app.admin());
    let paths = [dossier.path(), "/api/v1/dossiers?per_page=20".to_string(), "/api/v1/territory".to_string()];
    let load = futures_util::future::join_all((0..6).map(|i| {
        let (answers, stop) = (answers.clone(), stop.clone());
        let client = if i % 3 == 2 { admin.clone() } else { instructor.clone() };
        let path = paths[i % 3].clone();
        async move {
            while !stop.load(Ordering::SeqCst) {
                let at = started.elapsed();
                let res = client.get(&path).await;
                let took = started.elapsed() - at;
                let well_formed_503 = res.status.as_u16() == 503
                    && res.header("content-type") == Some("application/problem+json")
                    && res.header("retry-after").is_some_and(|v| v.parse::<u32>().is_ok())
                    && res.body["type"] == "urn:essor:problem:unavailable";
                answers.lock().unwrap().push(Answer {
                    at,
                    took,
                    status: res.status.as_u16(),
                    well_formed_503,
                });
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }));
    let script = async {
        tokio::time::sleep(Duration::from_millis(600)).await;
        let cut_at = started.elapsed();
        proxy.cut();
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let restored_at = started.elapsed();
        proxy.restore();
        // Until every kind of request has been served again, at most 8 s.
        let deadline = Instant::now() + Duration::from_secs(8);
        while Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let recent: Vec<Answer> =
                answers.lock().unwrap().iter().filter(|a| a.at > restored_at).copied().collect();
            if recent.iter().rev().take(6).filter(|a| a.status == 200).count() == 6 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop.store(true, Ordering::SeqCst);
        (cut_at, restored_at)
    };
    let (_, (cut_at, restored_at)) = futures_util::join!(load, script);
    let answers = answers.lock().unwrap().clone();

    let before: Vec<&Answer> = answers.iter().filter(|a| a.at + a.took < cut_at).collect();
    assert!(!before.is_empty() && before.iter().all(|a| a.status == 200), "served before the cut");
    // Asked while the database was gone (from the cut to its return, less the last second so
    // that no answer straddles the return).
    let during: Vec<&Answer> =
        answers.iter().filter(|a| a.at >= cut_at && a.at + Duration::from_secs(1) <= restored_at).collect();
    assert!(during.len() >= 6, "requests during the outage: {}", during.len());
    for a in &during {
        assert!(a.status == 503 && a.well_formed_503, "during the outage: {a:?}");
    }
    let slowest = during.iter().map(|a| a.took).max().unwrap();
    // Requests in flight at the cut answer too.
    let straddling: Vec<&Answer> =
        answers.iter().filter(|a| a.at < cut_at && a.at + a.took >= cut_at).collect();
    let first_503 = answers.iter().filter(|a| a.status == 503).map(|a| a.at + a.took).min().unwrap();
    let served_again = answers
        .iter()
        .filter(|a| a.at >= restored_at && a.status == 200)
        .map(|a| a.at + a.took)
        .min()
        .expect("served again after the database came back");
    let all_kinds_again = paths.len();
    println!(
        "outage: {} requests during it, all 503 problem+json with Retry-After, the slowest in {:?}; \
         first 503 {:?} after the cut; {} in flight at the cut; served again {:?} after the database \
         came back ({} kinds of request)",
        during.len(),
        slowest,
        first_503 - cut_at,
        straddling.len(),
        served_again - restored_at,
        all_kinds_again
    );
    assert!(slowest <= Duration::from_secs(1), "a 503 took {slowest:?}");
    assert!(first_503 - cut_at <= Duration::from_secs(1), "first 503 {:?} after the cut", first_503 - cut_at);
    assert!(
        served_again - restored_at <= Duration::from_secs(5),
        "served again after {:?}",
        served_again - restored_at
    );
    for a in answers.iter().filter(|a| a.at >= served_again + Duration::from_secs(1)) {
        assert_eq!(a.status, 200, "after the recovery: {a:?}");
    }
}
