use clap::Parser;

#[actix_web::main]
async fn main() {
    essor::telemetry::init();
    if let Err(e) = essor::cli::run(essor::cli::Cli::parse()).await {
        eprintln!("essor: {e}");
        std::process::exit(1);
    }
}
