-- The one wrk script of the benchmark (bench/load.py sets these environment variables):
--   BENCH_METHOD         GET or POST
--   BENCH_HEADERS        "Name: value" lines
--   BENCH_BODY           a fixed request body, or
--   BENCH_BODY_TEMPLATE  a body in which "{n}" becomes a counter, so every POST is distinct
-- done() prints one line the harness parses: "BENCH_RESULT {json}" (latencies in microseconds).

local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local template = os.getenv("BENCH_BODY_TEMPLATE")
local headers = {}
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local counter = 0
local fixed = nil

request = function()
  if template then
    counter = counter + 1
    return wrk.format(method, nil, headers, (template:gsub("{n}", tostring(counter))))
  end
  if not fixed then fixed = wrk.format(method, nil, headers, body) end
  return fixed
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, '
    .. '"p90_us": %d, "p99_us": %d, "max_us": %d, "errors_connect": %d, "errors_read": %d, '
    .. '"errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout))
end
