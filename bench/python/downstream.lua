-- wrk script for bench_binding.py: GET .../lineage/{key}/downstream?depth=D over the keys
-- in $KEYS_FILE in turn, then one JSON line of latency percentiles (microseconds).
local keys = {}
for line in io.lines(os.getenv("KEYS_FILE")) do
  if #line > 0 then keys[#keys + 1] = line end
end
local depth = os.getenv("DEPTH") or "3"
local i = 0

request = function()
  i = i % #keys + 1
  return wrk.format("GET", "/api/v1/lineage/" .. keys[i] .. "/downstream?depth=" .. depth)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
