-- wrk script for bench/accounts.sh: replaces support profiles with If-Match, one account per wrk thread.
-- Run with -t N -c N (one connection per thread, so each thread's requests and responses alternate strictly).
--   PUT_ACCOUNTS  a file with one account id per line (anything after the id is ignored); thread n writes the account
--                 on line n (wrapping around).
-- Each thread first reads its profile (GET) for the current ETag; each 2xx answer's ETag is sent back as the next If-Match; a 412 (someone else changed the profile) makes the thread
-- read the profile once (GET) for its current ETag before writing again. Only acknowledged (2xx) PUTs count as writes.
-- done() prints:
--   PUT_RESULT acknowledged_per_s=.. p50_ms=.. p99_ms=.. n2xx=.. n412=.. nother=.. errors=.. requests=.. duration_s=..

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

local account, etag, path
local counter = 0
local refresh = true   -- the first request reads the current ETag (an earlier run may have moved it on)
local last_was_get = false

function init(args)
   n2xx, n412, nother = 0, 0, 0
   local file = assert(os.getenv("PUT_ACCOUNTS"), "PUT_ACCOUNTS is not set")
   local lines = {}
   for line in io.lines(file) do
      if line:match("%S") then table.insert(lines, line) end
   end
   assert(#lines > 0, "no accounts in " .. file)
   local line = lines[((tid - 1) % #lines) + 1]
   account = line:match("^(%S+)")
   path = "/v1/accounts/" .. account .. "/profiles/support"
end

local function headers_with(extra)
   local h = {}
   for k, v in pairs(wrk.headers) do h[k] = v end
   for k, v in pairs(extra) do h[k] = v end
   return h
end

function request()
   if refresh then
      last_was_get = true
      return wrk.format("GET", path, headers_with({}))
   end
   last_was_get = false
   counter = counter + 1
   local body = string.format(
      '{"email":"support%d@bench.example","phoneNumber":"+1425555%04d","website":"https://bench.example/support"}',
      tid, counter % 10000)
   return wrk.format("PUT", path, headers_with({ ["If-Match"] = etag, ["Content-Type"] = "application/json" }), body)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      etag = headers["ETag"] or headers["etag"] or etag
      if last_was_get then
         refresh = false
      else
         n2xx = n2xx + 1
      end
   elseif status == 412 then
      n412 = n412 + 1
      refresh = true
   else
      nother = nother + 1
      refresh = true
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   local errors = e.connect + e.read + e.write + e.timeout
   local a, b, c = 0, 0, 0
   for _, t in ipairs(threads) do
      a = a + (t:get("n2xx") or 0)
      b = b + (t:get("n412") or 0)
      c = c + (t:get("nother") or 0)
   end
   local dur_s = summary.duration / 1e6
   io.write(string.format(
      "PUT_RESULT acknowledged_per_s=%.0f p50_ms=%.3f p99_ms=%.3f n2xx=%d n412=%d nother=%d errors=%d requests=%d duration_s=%.3f\n",
      a / dur_s, latency:percentile(50) / 1000.0, latency:percentile(99) / 1000.0, a, b, c, errors, summary.requests, dur_s))
end
