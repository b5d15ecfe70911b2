-- wrk script for bench/redirect-bench.sh: follows a referral link as a browser would
-- (a browser User-Agent, no cookie, so every request is a new visitor and a stored
-- click) and prints the achieved rate and p50/p90/p99/max latency in milliseconds.
--
-- KITH_BENCH_PATH is the path to request; KITH_BENCH_DELAY_MS (optional) makes each
-- connection wait that long between requests, to hold a fixed, lower load.

local path = os.getenv("KITH_BENCH_PATH") or "/r/MAYA10"
local pause = tonumber(os.getenv("KITH_BENCH_DELAY_MS") or "0")

local agent = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
local req = nil

-- Formatted once per thread, after wrk knows the host (a request without `Host` is a
-- 400 to nginx).
init = function(args)
  req = wrk.format("GET", path, { ["Host"] = wrk.host .. ":" .. wrk.port, ["User-Agent"] = agent })
end

request = function()
  return req
end

if pause > 0 then
  delay = function()
    return pause
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local function ms(us) return string.format("%.2f", us / 1000) end
  io.write(string.format(
    "result rps=%.0f requests=%d errors=%d non2xx3xx=%d p50=%s p90=%s p99=%s max=%s\n",
    summary.requests / seconds, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
    ms(latency.max)))
end
