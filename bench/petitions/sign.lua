-- wrk script for the petition sign form: every request POSTs the real form with a new email.
-- Args (after --): the form's signed render stamp (_ts) and a run id that keeps emails unique
-- across runs on the same database. Counts only 303 answers (accepted), as SignLoad.java did.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  stamp = urlencode(args[1])
  run = args[2]
  accepted = 0
  other = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  counter = counter + 1
  local n = tid .. "-" .. counter
  local body = "given_name=Parent&family_name=Bench" .. counter .. "&email=p" .. run .. "-" .. n ..
    "%40bench.example.org&postal_code=90012&language=en&comments=&email_opt_in=1&public_display=1&ref=&website=&_ts=" .. stamp
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 303 then accepted = accepted + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    o = o + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("signs=%d errors=%d socket_errors=%d seconds=%.1f rate=%.1f p50_ms=%.1f p99_ms=%.1f\n",
    a, o + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    seconds, a / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
