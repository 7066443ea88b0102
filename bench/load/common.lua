-- Shared by get.lua and save.lua (bench/load.mjs runs them with wrk): numbers the threads, counts response statuses
-- per thread, and prints one line `RESULT {json}` when the run is done.
--
-- The request list is a Lua file returning { {path = ..., token = ..., ...}, ... }; its name and the number of wrk
-- threads come after `--` on wrk's command line. Thread k takes the items whose position modulo the number of
-- threads is k, so no two threads share an item (a list shorter than the threads is given whole to each).

threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

-- The items of this thread, from the list file (args[1]) and the number of threads (args[2]).
function my_items(args)
  local all = dofile(args[1])
  local n = tonumber(args[2])
  local mine = {}
  for i, item in ipairs(all) do
    if #all < n or (i - 1) % n == tid then
      item.i = i
      table.insert(mine, item)
    end
  end
  if #mine == 0 then error("thread " .. tid .. " has no items") end
  return mine
end

statuses = {}

function count_status(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local function json_table(t)
  local parts = {}
  for k, v in pairs(t) do
    table.insert(parts, string.format('"%s":%d', tostring(k), v))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- Sums a per-thread table of counts over the threads.
function sum_over_threads(name)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get(name) or {}) do
      total[k] = (total[k] or 0) + v
    end
  end
  return total
end

-- extra: a function returning more `"key":value` pairs for the JSON line (save.lua adds the cards' state).
function report(summary, latency, extra)
  local e = summary.errors
  local line = string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":%s%s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    json_table(sum_over_threads("statuses")), extra and ("," .. extra()) or "")
  io.write(line)
end
