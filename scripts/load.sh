#!/usr/bin/env bash
# Load test of the read path: a release build on a fresh SQLite file (or DATABASE_URL), seeded
# with one scheme, one organisation and one dossier, then wrk against loopback only.
#   scripts/load.sh            # 2 threads, 32 connections, 15 s per endpoint
# Needs wrk (apt-get install wrk). Bounded in time; stops the server it started.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-15s}"
PORT="${PORT:-18181}"
work="$(mktemp -d)"
export DATABASE_URL="${DATABASE_URL:-$work/essor.db}"
export ESSOR_BIND="127.0.0.1:$PORT"
export ESSOR_JWT_SECRET="load-test-secret-$(date +%s)-0123456789abcdef"
export RUST_LOG=warn
if [ -n "${ESSOR_BIN:-}" ]; then
  bin="$ESSOR_BIN"
else
  cargo build --release --quiet --bin essor
  bin="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/essor"
fi
$bin territory add rouen "Métropole Rouen Normandie" >/dev/null
admin=$($bin token --role admin --territory rouen --ttl 1h)
siret=73282932000074
applicant=$($bin token --role applicant --territory rouen --organisation $siret --ttl 1h)
instructor=$($bin token --role instructor --territory rouen --ttl 1h)
$bin serve & pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 50); do curl -fs "$base/health/ready" >/dev/null && break; sleep 0.1; done
json() { curl -fs -X POST "$base$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
scheme=$(json /api/v1/schemes "$admin" '{"code":"DI-ESS","name":"Dynamique Immobilier ESS","from_template":{"template":"DI-ESS","effective_from":"2020-01-01","commune_codes":["76540"]}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
json /api/v1/organisations "$applicant" '{"siret":"'$siret'","name":"Atelier","legal_form":"9220","address":{"line":"1 rue","postal_code":"76000","city":"Rouen","commune_code":"76540"},"market_activity":"Réemploi","salaried_staff_fte":3,"accounts":{"year":2025,"operating_revenue_cents":30000000,"sales_revenue_cents":21000000,"operating_costs_cents":32000000},"de_minimis_aids":[]}' >/dev/null
dossier=$(json /api/v1/dossiers "$applicant" '{"scheme_id":"'$scheme'","title":"Travaux","project_kind":"works","eligible_expenses_cents":20000000,"premises_address":"1 rue","premises_commune_code":"76540","requested_cents":6000000,"planned_start_on":"2027-03-01","jobs_created_fte":1,"jobs_kept_fte":3,"description":"x"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "(load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
for path in "/health/ready" "/api/v1/dossiers/$dossier" "/api/v1/dossiers?per_page=20" "/api/v1/dossiers/$dossier/eligibility"; do
  echo "== GET $path"
  wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $instructor" "$base$path" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx'
done
