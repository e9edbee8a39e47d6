-- wrk script: POST /transfers/bulk with BULK transfers of 0.01 between random accounts (every pair in either direction).
--   BENCH_TOKEN=<jwt> FIRST=<first account id> N=<accounts> BULK=1000 wrk -s bench/bulk.lua -c 8 -d 15s URL
-- Every request carries BENCH_TOKEN, the token of the accounts' owner (bench/BenchToken.java makes one). Each thread
-- builds a few bodies once and sends them in turn, so that wrk's own CPU stays off the figures.
-- Prints, after wrk's own summary: "requests N" (200s), "other N" (any other answer), "created N" (items answered 201),
-- "p50_ms X", "p99_ms Y" (per request).
local first = tonumber(os.getenv("FIRST"))
local n = tonumber(os.getenv("N"))
local size = tonumber(os.getenv("BULK") or "1000")
local token = os.getenv("BENCH_TOKEN")
if not token or token == "" then
  io.stderr:write("BENCH_TOKEN must hold the bearer token of the accounts' owner (java bench/BenchToken.java <owner>)\n")
  os.exit(2)
end
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
local threads = {}
local bodies = {}
local next_body = 1
requests, other, created = 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  for b = 1, 8 do
    local items = {}
    for i = 1, size do
      local a = math.random(1, n)
      local c = math.random(1, n - 1)
      if c >= a then c = c + 1 end
      items[i] = string.format('{"from":%d,"to":%d,"amount":0.01}', first + a - 1, first + c - 1)
    end
    bodies[b] = '{"transfers":[' .. table.concat(items, ",") .. ']}'
  end
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/transfers/bulk", headers, body)
end

function response(status, headers, body)
  if status == 200 then
    requests = requests + 1
    local _, applied = string.gsub(body, '"status":201', "")
    created = created + applied
  else
    other = other + 1
  end
end

function done(summary, latency, requests_done)
  local all_requests, all_other, all_created = 0, 0, 0
  for _, thread in ipairs(threads) do
    all_requests = all_requests + thread:get("requests")
    all_other = all_other + thread:get("other")
    all_created = all_created + thread:get("created")
  end
  io.write(string.format("requests %d\nother %d\ncreated %d\np50_ms %.2f\np99_ms %.2f\n", all_requests, all_other,
    all_created, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
