-- wrk script for the quiz's answer save (benchmarks/peer_comparison.py): the attempt form as attempt.js posts it,
-- form-encoded, with the essay's text new on every request (so that every save really stores a row).
-- Two shapes, by env:
--   LEARNERS_FILE: a Lua file returning a list of {path=, cookie=, csrf=, body=} (body: the form with one %s, the
--     essay's text), one per signed-in learner with their own attempt in progress. wrk thread t of THREADS takes
--     the learners whose index is t modulo THREADS and posts for them in turn: no two threads save for the same
--     learner, and with twice as many learners as connections a learner's next save is sent after their last one
--     has been answered (as attempt.js does: one save at a time per learner). Fewer learners than threads: every
--     thread posts for all of them (one learner: all connections save into their one attempt).
--   otherwise one attempt of one learner: COOKIE, CSRF (X-CSRFToken), BODY_FILE, every connection saving into it.
-- Both: ORIGIN, LABEL. Counts every status code and prints the same RESULT line as the peer harness's bench.lua.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  statuses = {}
  counter = 0
  prefix = id .. "-" .. os.time()  -- this thread's own, and this run's
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  local origin = os.getenv("ORIGIN")
  if origin and origin ~= "" then wrk.headers["Origin"] = origin end
  local many = os.getenv("LEARNERS_FILE")
  learners = {}
  if many and many ~= "" then
    local count = tonumber(os.getenv("THREADS") or "2")
    local all = dofile(many)
    for index, learner in ipairs(all) do
      if (index - 1) % count == id - 1 or #all < count then table.insert(learners, learner) end
    end
    assert(#learners > 0, "no learner for this thread")
  else
    local f = assert(io.open(assert(os.getenv("BODY_FILE"), "BODY_FILE unset"), "rb"))
    local body = f:read("*a")
    f:close()
    table.insert(learners, {path = nil, cookie = os.getenv("COOKIE") or "", csrf = os.getenv("CSRF") or "", body = body})
  end
end

function request()
  counter = counter + 1
  local learner = learners[(counter - 1) % #learners + 1]
  wrk.headers["Cookie"] = learner.cookie
  wrk.headers["X-CSRFToken"] = learner.csrf
  return wrk.format(nil, learner.path, nil, string.format(learner.body, "answer+" .. prefix .. "+" .. counter))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local agg, non2xx = {}, 0
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      agg[code] = (agg[code] or 0) + n
      if code < 200 or code > 299 then non2xx = non2xx + n end
    end
  end
  local codes = {}
  for code, n in pairs(agg) do table.insert(codes, code .. "=" .. n) end
  table.sort(codes)
  local errs = summary.errors
  local sockerr = errs.connect + errs.read + errs.write + errs.timeout
  io.write(string.format(
    "RESULT label=%s rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d sockerr=%d statuses=%s\n",
    os.getenv("LABEL") or "-", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, non2xx, sockerr, table.concat(codes, ",")))
end
