# Multi-stage build: compile in the Rust image, run in a slim Debian with only the binary.
# SQLite and libpq are compiled into the binary (bundled), TLS is rustls: the runtime image
# needs nothing but CA certificates (for an identity provider's JWKS over https).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
# The bundled SQLite's build flags (.cargo/config.toml).
COPY .cargo ./.cargo
COPY build.rs ./
COPY src ./src
COPY migrations ./migrations
COPY benches ./benches
# Compiled in: the message catalogues (build.rs), the letters' fonts and shipped templates.
COPY locales ./locales
COPY assets ./assets
COPY templates ./templates
# The same command CI runs (.ci/run), so CI builds the very binary this image copies.
RUN cargo build --release --locked --bin essor

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/essor --create-home \
       --shell /usr/sbin/nologin essor
COPY --from=build /src/target/release/essor /usr/local/bin/essor
# Numeric, so that orchestrators can check runAsNonRoot.
USER 10001:10001
WORKDIR /var/lib/essor
ENV ESSOR_BIND=0.0.0.0:8080 \
    ESSOR_LOG_FORMAT=json
EXPOSE 8080
# The binary checks itself (GET /health/ready on ESSOR_BIND): no curl in the image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 CMD ["essor", "health"]
ENTRYPOINT ["essor"]
CMD ["serve"]
