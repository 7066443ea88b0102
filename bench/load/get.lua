-- GET requests in turn from a list (path and an optional Bearer token each); see common.lua.
--   wrk -t2 -c32 -d8s -s bench/load/get.lua http://127.0.0.1:PORT -- LIST.lua 2
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

local reqs, next_req = {}, 1

function init(args)
  for _, item in ipairs(my_items(args)) do
    local headers = {}
    if item.token then headers["Authorization"] = "Bearer " .. item.token end
    table.insert(reqs, wrk.format("GET", item.path, headers))
  end
end

function request()
  local r = reqs[next_req]
  next_req = next_req % #reqs + 1
  return r
end

function response(status, headers, body)
  count_status(status)
end

function done(summary, latency, requests)
  report(summary, latency)
end
