-- wrk script for benchmarks/load.py: each request takes a path chosen by weight from the
-- file named by LOAD_PATHS ("<weight> <path>" a line); done() prints one JSON line with
-- the latency percentiles, the non-2xx responses counted by response() and socket errors.
local paths, weights, total = {}, {}, 0
for line in io.lines(os.getenv("LOAD_PATHS")) do
  local weight, path = line:match("^(%d+)%s+(%S+)")
  if weight then
    total = total + tonumber(weight)
    table.insert(paths, path)
    table.insert(weights, total)
  end
end

local threads, counter = {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  math.randomseed(os.time() * 100 + id)
end

function request()
  local pick, chosen = math.random() * total, paths[#paths]
  for i = 1, #weights do
    if pick < weights[i] then
      chosen = paths[i]
      break
    end
  end
  return wrk.format("GET", chosen)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD-RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, non2xx_total,
    e.connect + e.read + e.write + e.timeout))
end
