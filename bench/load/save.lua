-- Score saves (PUT .../entries/{eid}/score) over many (juror, entry) cards; see common.lua. Each item of the list is
-- a card: {path, token, version}. A card is sent again only after the answer to its previous save came back, with
-- the version that answer carries (the server refuses any other with 409 `stale-version`), so connections never
-- race on a card: each thread keeps its free cards in a queue and must hold more cards than it has connections.
-- The card's number travels in the private comment, which the answer echoes. Every save changes the marks
-- (6 and 7 in turn), so each one is a real write.
--   wrk -t2 -c32 -d8s -s bench/load/save.lua http://127.0.0.1:PORT -- CARDS.lua 2
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

local cards = {}
local queue, head, tail = {}, 1, 0
acked, versions, starved = {}, {}, { n = 0 }

local function push(i)
  tail = tail + 1
  queue[tail] = i
end

function init(args)
  for _, c in ipairs(my_items(args)) do
    cards[c.i] = c
    versions[c.i] = c.version
    acked[c.i] = 0
    push(c.i)
  end
end

local KEYS = { "message", "creativity", "technical_quality", "impact", "respect_consent" }

function request()
  if head > tail then
    -- Every card of this thread is in flight or was lost to an error: should not happen with enough cards.
    starved.n = starved.n + 1
    return wrk.format("GET", "/healthz")
  end
  local i = queue[head]
  queue[head] = nil
  head = head + 1
  local c, v = cards[i], versions[i]
  local mark = (v % 2 == 0) and 6 or 7
  local scores = {}
  for _, k in ipairs(KEYS) do table.insert(scores, string.format('"%s":%d', k, mark)) end
  local body = string.format('{"scores":{%s},"private_comment":"card %d","version":%d}',
    table.concat(scores, ","), i, v)
  return wrk.format("PUT", c.path,
    { ["Authorization"] = "Bearer " .. c.token, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  count_status(status)
  if status ~= 200 then return end
  local i = tonumber(body:match('"private_comment":"card (%d+)"'))
  local v = tonumber(body:match('"version":(%d+)'))
  if i == nil or v == nil or cards[i] == nil then return end
  versions[i] = v
  acked[i] = acked[i] + 1
  push(i)
end

function done(summary, latency, requests)
  report(summary, latency, function()
    local parts = {}
    for _, t in ipairs(threads) do
      for i, n in pairs(t:get("acked")) do table.insert(parts, string.format('"%d":%d', i, n)) end
    end
    local starved_total = 0
    for _, t in ipairs(threads) do starved_total = starved_total + t:get("starved").n end
    return string.format('"acked":{%s},"starved":%d', table.concat(parts, ","), starved_total)
  end)
end
