#!/usr/bin/env bash
# Builds a Prometheus 3.5.3 that has the OTLP receiver (--web.enable-otlp-receiver), from Debian's
# sources and Debian sid's Go library packages, into the cache outside the clone:
#
#   $GOTRACE_CACHE (default ~/.cache/gotrace)
#     peers/prometheus-otlp/prometheus         the binary (printed on stdout when ready)
#     peers/prometheus-otlp/prometheus.stamp   what it was built from (a changed script rebuilds it)
#
# Why: Debian's prometheus package patches the OTLP endpoint out ("until golang-opentelemetry-collector
# is in Debian"); sid has that library now. This script takes the upstream source as Debian ships it
# (prometheus_3.5.3+ds1.orig.tar.xz), Debian's patches (3.5.3+ds1-5) except the one that disables
# OTLP, and a small fix-up below for the newer libraries in sid:
#   - the optional feature otlp-deltatocumulative is refused (its collector-contrib processor is not
#     packaged): plain cumulative OTLP, which is what gotrace pushes, is unaffected;
#   - the OTel semantic-convention names come from go.opentelemetry.io/otel/semconv (the collector's
#     semconv module is gone in collector 0.152), and label/metric naming from sid's newer
#     github.com/prometheus/otlptranslator;
#   - no service discovery beyond static, file and http (fewer libraries to compile).
# It builds in GOPATH mode, as dh-golang does, against /usr/share/gocode of the golang-*-dev packages
# (the Build-Depends of Debian's source and their dependencies), unpacked with dpkg -x, with Go 1.26
# from Debian's packages, offline (GOPROXY=off). Then it starts the binary on a free loopback port,
# pushes one OTLP metric and reads it back with PromQL; a build that fails that is not cached.
#
# Start it like this (the flags the export tests use):
#   prometheus --config.file=FILE --storage.tsdb.path=DIR --web.listen-address=127.0.0.1:PORT \
#              --web.enable-otlp-receiver
#   OTLP/HTTP metrics: POST http://127.0.0.1:PORT/api/v1/otlp/v1/metrics
#                      (Content-Type application/x-protobuf or application/json; gzip allowed)
#
# Idempotent: a second run prints the cached path at once. Cold: about 8 MB of source, about 270 MB of
# packages (deleted afterwards), a few minutes of compiling.
#
#   bash testdata/prometheus-otlp.sh          build if needed, print the path
#   bash testdata/prometheus-otlp.sh --check  also run the OTLP self-check on a cached binary
set -euo pipefail

cache=${GOTRACE_CACHE:-$HOME/.cache/gotrace}
check_cached=false
for a in "$@"; do
  case "$a" in
    --check) check_cached=true ;;
    -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "prometheus-otlp.sh: unknown option $a (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'prometheus-otlp.sh: %s\n' "$*" >&2; }
die() { printf 'prometheus-otlp.sh: %s\n' "$*" >&2; exit 1; }

version=3.5.3
debian_revision=3.5.3+ds1-5
pool=http://deb.debian.org/debian/pool/main/p/prometheus
orig=prometheus_3.5.3+ds1.orig.tar.xz
orig_sha256=271a91b47e6ff9e507bf94e8c9eb76005ff24afd07a713bd1345a4b98e3add1c
debian_tar=prometheus_3.5.3+ds1-5.debian.tar.xz
debian_sha256=1ebec08ee88fa23afca675e74047fde5dad8d05f41644ca1a4354e09dab8118d
# Debian patches left out: the one that removes OTLP, and one that only rewords --help (it does not
# apply without the first).
skip_patches='Disable-OTLP-Ingestion-endpoint|Disable-UI-flags-in-CLI-help'
# Libraries the OTLP code needs beyond Debian's Build-Depends.
extra_packages=(golang-opentelemetry-collector-dev golang-github-prometheus-otlptranslator-dev)
go_series=1.26

out_dir=$cache/peers/prometheus-otlp
bin=$out_dir/prometheus
work=$cache/build/prometheus-otlp
stamp="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16) go$go_series"

# ---- the self-check: the OTLP endpoint stores what it is sent

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 20); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}

self_check() {
  local b=$1 dir port pid ok=false now i reply code
  command -v curl >/dev/null || die "the self-check needs curl"
  dir=$(mktemp -d); port=$(free_port)
  printf 'global:\n  scrape_interval: 1m\n' >"$dir/prometheus.yml"
  "$b" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --web.enable-otlp-receiver >"$dir/log" 2>&1 &
  pid=$!
  for i in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && { ok=true; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if ! $ok; then
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    cat "$dir/log" >&2; rm -rf "$dir"; die "self-check: $b did not become ready (its log is above)"
  fi
  now=$(date +%s%N)
  code=$(curl -s -o "$dir/reply" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary '{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"selfcheck"}}]},"scopeMetrics":[{"metrics":[{"name":"gotrace.selfcheck","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"timeUnixNano":"'"$now"'","asInt":"7","attributes":[{"key":"function","value":{"stringValue":"main.f"}}]}]}}]}]}]}' \
    "http://127.0.0.1:$port/api/v1/otlp/v1/metrics" || true)
  reply=""
  for i in $(seq 1 25); do
    reply=$(curl -s "http://127.0.0.1:$port/api/v1/query" --data-urlencode 'query=gotrace_selfcheck_total{job="selfcheck",function="main.f"}' || true)
    case "$reply" in *'"7"'*) break ;; esac
    sleep 0.2
  done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  if [ "$code" != 200 ] || [[ "$reply" != *'"7"'* ]]; then
    cat "$dir/log" >&2; rm -rf "$dir"
    die "self-check: POST /api/v1/otlp/v1/metrics answered $code, the query answered: $reply"
  fi
  rm -rf "$dir"
}

mkdir -p "$out_dir"
exec 9>"$out_dir/.lock"
flock 9

if [ -x "$bin" ] && [ "$(cat "$bin.stamp" 2>/dev/null)" = "$stamp" ]; then
  $check_cached && self_check "$bin"
  echo "$bin"; exit 0
fi

# ---- Debian's package archive through private apt lists (nothing installed system-wide)

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "$keyring is missing (install the debian-archive-keyring package)"
apt_dir=$cache/apt-sid
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=root"
  -o "APT::Architecture=amd64"
)
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb [signed-by=$keyring] http://deb.debian.org/debian sid main" >"$apt_dir/sources.list"
say "updating the private package lists (sid)"
apt-get "${apt_opts[@]}" -qq update >"$apt_dir/update.log" 2>&1 \
  || die "apt-get update of the private lists failed (see $apt_dir/update.log)"

rm -rf "$work"; mkdir -p "$work/src" "$work/debs" "$work/deps" "$work/gopath/src/github.com/prometheus"

# Source: pinned by SHA-256 (the orig's is the one sid's signed Sources index lists). apt-helper is
# apt's own downloader; it checks the hash.
say "fetching the source $orig and Debian's patches $debian_tar"
for f in "$orig:$orig_sha256" "$debian_tar:$debian_sha256"; do
  name=${f%%:*}; sum=${f#*:}
  /usr/lib/apt/apt-helper -o APT::Sandbox::User=root download-file "$pool/${name//+/%2b}" "$work/src/$name" "SHA256:$sum" \
    >"$work/src/$name.log" 2>&1 || die "cannot fetch $pool/$name (see $work/src/$name.log)"
done
tree=$work/gopath/src/github.com/prometheus/prometheus
mkdir -p "$tree"
tar -xJf "$work/src/$orig" -C "$tree" --strip-components=1
tar -xJf "$work/src/$debian_tar" -C "$work/src"
while IFS= read -r p; do
  case "$p" in ''|'#'*) continue ;; esac
  [[ "$p" =~ $skip_patches ]] && continue
  patch -d "$tree" -p1 -s --no-backup-if-mismatch <"$work/src/debian/patches/$p" \
    || die "Debian's patch $p does not apply"
done <"$work/src/debian/patches/series"
patch -d "$tree" -p1 -s --no-backup-if-mismatch <<'PATCH' || die "the fix-up patch does not apply"
--- base/cmd/prometheus/main.go
+++ mod/cmd/prometheus/main.go
@@ -243,8 +243,7 @@
 				c.web.UseOldUI = true
 				logger.Info("Serving previous version of the Prometheus web UI.")
 			case "otlp-deltatocumulative":
-				c.web.ConvertOTLPDelta = true
-				logger.Info("Converting delta OTLP metrics to cumulative")
+				return errors.New("otlp-deltatocumulative is not available in this build (its processor is not packaged in Debian)")
 			case "otlp-native-delta-ingestion":
 				// Experimental OTLP native delta ingestion.
 				// This currently just stores the raw delta value as-is with unknown metric type. Better typing and
--- base/storage/remote/otlptranslator/prometheusremotewrite/helper.go
+++ mod/storage/remote/otlptranslator/prometheusremotewrite/helper.go
@@ -32,7 +32,7 @@
 	"github.com/prometheus/otlptranslator"
 	"go.opentelemetry.io/collector/pdata/pcommon"
 	"go.opentelemetry.io/collector/pdata/pmetric"
-	conventions "go.opentelemetry.io/collector/semconv/v1.6.1"
+	conventions "go.opentelemetry.io/otel/semconv/v1.6.1"
 
 	"github.com/prometheus/prometheus/model/timestamp"
 	"github.com/prometheus/prometheus/model/value"
@@ -119,8 +119,8 @@
 	ignoreAttrs []string, logOnOverwrite bool, extras ...string,
 ) []prompb.Label {
 	resourceAttrs := resource.Attributes()
-	serviceName, haveServiceName := resourceAttrs.Get(conventions.AttributeServiceName)
-	instance, haveInstanceID := resourceAttrs.Get(conventions.AttributeServiceInstanceID)
+	serviceName, haveServiceName := resourceAttrs.Get(string(conventions.ServiceNameKey))
+	instance, haveInstanceID := resourceAttrs.Get(string(conventions.ServiceInstanceIDKey))
 
 	promotedAttrs := settings.PromoteResourceAttributes.promotedAttributes(resourceAttrs)
 
@@ -152,7 +152,7 @@
 	for _, label := range labels {
 		finalKey := label.Name
 		if !settings.AllowUTF8 {
-			finalKey = otlptranslator.NormalizeLabel(finalKey)
+			finalKey = normalizeLabel(finalKey)
 		}
 		if existingValue, alreadyExists := l[finalKey]; alreadyExists {
 			l[finalKey] = existingValue + ";" + label.Value
@@ -164,7 +164,7 @@
 	for _, lbl := range promotedAttrs {
 		normalized := lbl.Name
 		if !settings.AllowUTF8 {
-			normalized = otlptranslator.NormalizeLabel(normalized)
+			normalized = normalizeLabel(normalized)
 		}
 		if _, exists := l[normalized]; !exists {
 			l[normalized] = lbl.Value
@@ -174,7 +174,7 @@
 	// Map service.name + service.namespace to job.
 	if haveServiceName {
 		val := serviceName.AsString()
-		if serviceNamespace, ok := resourceAttrs.Get(conventions.AttributeServiceNamespace); ok {
+		if serviceNamespace, ok := resourceAttrs.Get(string(conventions.ServiceNamespaceKey)); ok {
 			val = fmt.Sprintf("%s/%s", serviceNamespace.AsString(), val)
 		}
 		l[model.JobLabel] = val
@@ -204,7 +204,7 @@
 		}
 		// internal labels should be maintained.
 		if !settings.AllowUTF8 && (len(name) <= 4 || name[:2] != "__" || name[len(name)-2:] != "__") {
-			name = otlptranslator.NormalizeLabel(name)
+			name = normalizeLabel(name)
 		}
 		l[name] = extras[i+1]
 	}
@@ -576,9 +576,9 @@
 
 	attributes := resource.Attributes()
 	identifyingAttrs := []string{
-		conventions.AttributeServiceNamespace,
-		conventions.AttributeServiceName,
-		conventions.AttributeServiceInstanceID,
+		string(conventions.ServiceNamespaceKey),
+		string(conventions.ServiceNameKey),
+		string(conventions.ServiceInstanceIDKey),
 	}
 	nonIdentifyingAttrsCount := attributes.Len()
 	for _, a := range identifyingAttrs {
@@ -628,3 +628,14 @@
 func convertTimeStamp(timestamp pcommon.Timestamp) int64 {
 	return int64(timestamp) / 1_000_000
 }
+
+// normalizeLabel is the 2025-05 otlptranslator.NormalizeLabel on the newer
+// otlptranslator packaged in Debian: a name it rejects is kept as it is.
+func normalizeLabel(name string) string {
+	namer := otlptranslator.LabelNamer{UnderscoreLabelSanitization: true}
+	normalized, err := namer.Build(name)
+	if err != nil {
+		return name
+	}
+	return normalized
+}
--- base/storage/remote/otlptranslator/prometheusremotewrite/metrics_to_prw.go
+++ mod/storage/remote/otlptranslator/prometheusremotewrite/metrics_to_prw.go
@@ -144,7 +144,11 @@
 					continue
 				}
 
-				promName := namer.Build(TranslatorMetricFromOtelMetric(metric))
+				promName, err := namer.Build(TranslatorMetricFromOtelMetric(metric))
+				if err != nil {
+					errs = multierr.Append(errs, err)
+					continue
+				}
 				c.metadata = append(c.metadata, prompb.MetricMetadata{
 					Type:             otelMetricTypeToPromMetricType(metric),
 					MetricFamilyName: promName,
--- base/storage/remote/write_handler.go
+++ mod/storage/remote/write_handler.go
@@ -25,15 +25,11 @@
 
 	"github.com/gogo/protobuf/proto"
 	"github.com/golang/snappy"
-	deltatocumulative "github.com/open-telemetry/opentelemetry-collector-contrib/processor/deltatocumulativeprocessor"
 	"github.com/prometheus/client_golang/prometheus"
 	"github.com/prometheus/client_golang/prometheus/promauto"
 	"github.com/prometheus/common/model"
-	"go.opentelemetry.io/collector/component"
 	"go.opentelemetry.io/collector/consumer"
 	"go.opentelemetry.io/collector/pdata/pmetric"
-	"go.opentelemetry.io/collector/processor"
-	"go.opentelemetry.io/otel/metric/noop"
 
 	"github.com/prometheus/prometheus/config"
 	"github.com/prometheus/prometheus/model/exemplar"
@@ -569,30 +565,6 @@
 
 	wh := &otlpWriteHandler{logger: logger, defaultConsumer: ex}
 
-	if opts.ConvertDelta {
-		fac := deltatocumulative.NewFactory()
-		set := processor.Settings{
-			ID:                component.NewID(fac.Type()),
-			TelemetrySettings: component.TelemetrySettings{MeterProvider: noop.NewMeterProvider()},
-		}
-		d2c, err := fac.CreateMetrics(context.Background(), set, fac.CreateDefaultConfig(), wh.defaultConsumer)
-		if err != nil {
-			// fac.CreateMetrics directly calls [deltatocumulativeprocessor.createMetricsProcessor],
-			// which only errors if:
-			//   - cfg.(type) != *Config
-			//   - telemetry.New fails due to bad set.TelemetrySettings
-			//
-			// both cannot be the case, as we pass a valid *Config and valid TelemetrySettings.
-			// as such, we assume this error to never occur.
-			// if it is, our assumptions are broken in which case a panic seems acceptable.
-			panic(fmt.Errorf("failed to create metrics processor: %w", err))
-		}
-		if err := d2c.Start(context.Background(), nil); err != nil {
-			// deltatocumulative does not error on start. see above for panic reasoning
-			panic(err)
-		}
-		wh.d2cConsumer = d2c
-	}
 
 	return wh
 }
--- base/tracing/tracing.go
+++ mod/tracing/tracing.go
@@ -29,7 +29,7 @@
 	"go.opentelemetry.io/otel/propagation"
 	"go.opentelemetry.io/otel/sdk/resource"
 	tracesdk "go.opentelemetry.io/otel/sdk/trace"
-	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
+	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
 	"go.opentelemetry.io/otel/trace"
 	"go.opentelemetry.io/otel/trace/noop"
 	"google.golang.org/grpc/credentials"
PATCH
# Only the discovery every build has (static, file, http): plugins/minimum.go registers those.
printf '%s\n\n%s\n' '// Service discovery plugins left out by gotrace'\''s testdata/prometheus-otlp.sh.' 'package plugins' \
  >"$tree/plugins/plugins.go"
rm -f "$tree/go.sum"   # go.mod stays: GOPATH mode resolves the /vN imports through it

# ---- the Go libraries: the golang-*-dev closure of the Build-Depends, unpacked, not installed

build_depends=$(sed -n '/^Build-Depends:/,/^[A-Za-z-]*:/p' "$work/src/debian/control" \
  | sed '1s/^Build-Depends://; $d' | tr ',' '\n' | sed 's/[(\[<].*//; s/[[:space:]]//g' | grep -- '-dev$' || true)
[ -n "$build_depends" ] || die "no Build-Depends found in Debian's debian/control"
# shellcheck disable=SC2086
apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
  --no-breaks --no-replaces --no-enhances $build_depends "${extra_packages[@]}" 2>/dev/null \
  | grep -E '^golang-[^ ]*-dev$' | sort -u >"$work/packages.txt" || true
[ -s "$work/packages.txt" ] || die "apt-cache found none of the Go library packages"
say "fetching $(wc -l <"$work/packages.txt") Go library packages from sid"
# shellcheck disable=SC2046
(cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download $(cat "$work/packages.txt")) >"$work/download.log" 2>&1 \
  || die "apt-get download of the Go library packages failed (see $work/download.log)"
for deb in "$work/debs"/*.deb; do dpkg -x "$deb" "$work/deps"; done
rm -rf "$work/debs"

# ---- Go from Debian's packages (the same place testdata/build.sh keeps it)

goroot=$cache/toolchains/go$go_series/usr/lib/go-$go_series
if ! [ -x "$goroot/bin/go" ] || ! [ -d "$goroot/src/runtime" ]; then
  say "fetching Go $go_series (golang-$go_series-go, golang-$go_series-src)"
  mkdir -p "$work/go"
  (cd "$work/go" && apt-get "${apt_opts[@]}" -qq download "golang-$go_series-go" "golang-$go_series-src") \
    >"$work/go/download.log" 2>&1 || die "cannot fetch Go $go_series (see $work/go/download.log)"
  rm -rf "$cache/toolchains/go$go_series"
  mkdir -p "$cache/toolchains/go$go_series"
  for deb in "$work/go"/*.deb; do dpkg -x "$deb" "$cache/toolchains/go$go_series"; done
  [ -x "$goroot/bin/go" ] || die "the Go $go_series packages did not contain $goroot/bin/go"
fi

# ---- build, check, cache

say "compiling prometheus $version with $("$goroot/bin/go" version | awk '{print $3}') (a few minutes)"
ldflags="-s -w -X github.com/prometheus/common/version.Version=$version \
  -X github.com/prometheus/common/version.Revision=$debian_revision+otlp \
  -X github.com/prometheus/common/version.Branch=debian/sid \
  -X github.com/prometheus/common/version.BuildUser=gotrace-testdata"
if ! (cd "$tree" && env -u GOFLAGS GOROOT="$goroot" PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local \
    GOPROXY=off GO111MODULE=off GOPATH="$work/gopath:$work/deps/usr/share/gocode" \
    GOCACHE="$work/gocache" CGO_ENABLED=0 \
    go build -ldflags="$ldflags" -o "$work/prometheus" ./cmd/prometheus) >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  die "building prometheus failed (the last lines are above; all of them in $work/build.log)"
fi
say "checking that the OTLP receiver stores what it is sent"
self_check "$work/prometheus"
mv "$work/prometheus" "$bin.tmp" && mv "$bin.tmp" "$bin"
echo "$stamp" >"$bin.stamp"
rm -rf "$work"; rmdir "$cache/build" 2>/dev/null || true
echo "$bin"
