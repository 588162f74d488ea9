-- bench/bulk.lua: wrk script for POST /v1/profiles/mpn/verifications with 1,000 known MPN IDs per request.
-- Environment: BULK_KEY (the X-Api-Key secret), BULK_MIN and BULK_MAX (the known ID range), BULK_SIZE (default 1000).
local key = os.getenv("BULK_KEY")
local min = tonumber(os.getenv("BULK_MIN") or "1000000")
local max = tonumber(os.getenv("BULK_MAX") or "1019999")
local size = tonumber(os.getenv("BULK_SIZE") or "1000")
local bodies = {}
local next_body = 1

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  for b = 1, 16 do
    local ids = {}
    for i = 1, size do
      ids[i] = '"' .. tostring(math.random(min, max)) .. '"'
    end
    bodies[b] = '{"mpnIds":[' .. table.concat(ids, ",") .. ']}'
  end
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/profiles/mpn/verifications", { ["Content-Type"] = "application/json", ["X-Api-Key"] = key }, body)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local non2xx = 0
  for status, count in pairs(statuses) do
    if status < 200 or status > 299 then non2xx = non2xx + count end
  end
  io.write(string.format("bulk_requests=%d bulk_duration_s=%.3f bulk_ids_per_request=%d bulk_non2xx=%d bulk_p99_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, size, non2xx, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
