# Shared by bench/redirect-bench.sh and bench/redirect-cpu.sh (sourced, not run): the
# store both benchmark, and nginx answering the same redirect from its config.

# A brand, one customer and one affiliate program whose member's code is MAYA10, in
# "$1/data" (or in KITH_DATABASE_URL when set). Uses $kith.
make_store() {
  local work=$1
  cat >"$work/brand.toml" <<'TOML'
name = "Ridgeline Coffee Co."
currency = "USD"
website = "https://ridgeline.example"
allowed_redirect_domains = ["ridgeline.example"]
TOML
  echo '{"id":"c-1","source":"customer","email":"maya@example.com","first_name":"Maya"}' >"$work/customers.ndjson"
  local k=("$kith" --data "$work/data")
  "${k[@]}" import customers "$work/customers.ndjson" >/dev/null
  "${k[@]}" discover --brand "$work/brand.toml" --limit 1 >/dev/null
  "${k[@]}" program create Affiliates --kind affiliate --commission 10% \
    --destination "https://ridgeline.example/shop" >/dev/null
  "${k[@]}" program enroll Affiliates c-1 >/dev/null
}

# nginx on 127.0.0.1:$2 answering every request with the 302 kith sends for MAYA10 (no
# access log), its files in $1; runs in the foreground (start it with `&`).
run_nginx() {
  local work=$1 port=$2
  cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  server {
    listen 127.0.0.1:$port;
    location / {
      return 302 "https://ridgeline.example/shop?utm_source=kith&utm_medium=referral&utm_campaign=Affiliates&utm_content=MAYA10";
    }
  }
}
NGINX
  exec "$(command -v nginx || echo /usr/sbin/nginx)" -p "$work" -c "$work/nginx.conf" -g 'daemon off;'
}

# Waits until `url` answers (up to 10 s).
await() {
  for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "$1 never answered" >&2
  return 1
}
