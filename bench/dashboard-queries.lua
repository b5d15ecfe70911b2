-- wrk script for bench/dashboard-bench.sh: Discover or API queries (filter + sort +
-- page), half repeated and half fresh; prints p50/p95/p99 latency in milliseconds.
--
-- KITH_TOKEN and KITH_COOKIE come from the environment; KITH_TARGET is "api" or
-- "discover" (the HTML page, with its session cookie).

local token = os.getenv("KITH_TOKEN")
local cookie = os.getenv("KITH_COOKIE")
local target = os.getenv("KITH_TARGET") or "api"

local queries = {
  "tier=micro&sort=fit_score",
  "tier=micro&category=food%20%26%20drink&sort=fit_score&page=3",
  "platform=instagram&min_er=0.03&sort=engagement_rate&page=2",
  "source=employees&min_authenticity=70&sort=authenticity",
  "tier=micro&platform=tiktok&sort=followers&order=asc&page=10",
  "category=fitness&min_authenticity=80&sort=brand_sentiment",
  "source=customers&tier=micro&sort=customer_value&page=5",
  "min_er=0.05&sort=er_index&limit=100",
  "sort=fit_score&page=200",
  "tier=nano&platform=x&sort=fit_score&order=asc",
}

local sorts = { "fit_score", "followers", "engagement_rate", "authenticity", "customer_value" }
local platforms = { "", "&platform=instagram", "&platform=tiktok", "&platform=youtube", "&platform=x" }

-- Every other request is a filter the server has not seen (a random threshold over
-- 56 × 5 × 5 × 2 combinations), so its in-memory index scans all rows for it; the rest
-- page through the fixed list, as someone browsing results does.
local function fresh()
  return "min_authenticity=" .. math.random(40, 95) .. platforms[math.random(#platforms)]
    .. "&sort=" .. sorts[math.random(#sorts)] .. "&order=" .. (math.random(2) == 1 and "asc" or "desc")
    .. "&page=" .. math.random(1, 20)
end

local i = 0
request = function()
  i = i + 1
  local q
  if i % 2 == 0 then q = fresh() else q = queries[(i % #queries) + 1] end
  if target == "discover" then
    return wrk.format("GET", "/discover?" .. q, { ["Cookie"] = "kith_session=" .. cookie })
  end
  return wrk.format("GET", "/api/v1/candidates?" .. q, { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("requests %d, non-2xx %d, errors %d\n", summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, %.0f req/s\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
