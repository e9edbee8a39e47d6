-- wrk script: transfers between random accounts, counted by answer status, so that only 201s count as transfers.
--   BENCH_TOKEN=<jwt> FIRST=<first account id> N=<accounts> ZIPF=0|1 STRATEGY=pessimistic \
--     wrk -s bench/transfer.lua -c 32 -d 15s URL
-- Every request carries BENCH_TOKEN, the token of the accounts' owner (bench/BenchToken.java makes one).
-- Prints, after wrk's own summary: "created N" (201s), "other N" (any other answer), "p50_ms X", "p99_ms Y".
local first = tonumber(os.getenv("FIRST"))
local n = tonumber(os.getenv("N"))
local zipf = tonumber(os.getenv("ZIPF") or "0")
local path = "/transfers/" .. (os.getenv("STRATEGY") or "pessimistic")
local token = os.getenv("BENCH_TOKEN")
if not token or token == "" then
  -- Stopped here: wrk would otherwise send its default requests and still print figures.
  io.stderr:write("BENCH_TOKEN must hold the bearer token of the accounts' owner (java bench/BenchToken.java <owner>)\n")
  os.exit(2)
end
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
local cumulative
local threads = {}
created, other = 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  if zipf > 0 then
    cumulative = {}
    local sum = 0
    for i = 1, n do sum = sum + 1 / (i ^ zipf); cumulative[i] = sum end
    for i = 1, n do cumulative[i] = cumulative[i] / sum end
  end
end

local function pick()
  if not cumulative then return math.random(1, n) end
  local u, low, high = math.random(), 1, n
  while low < high do
    local mid = math.floor((low + high) / 2)
    if cumulative[mid] < u then low = mid + 1 else high = mid end
  end
  return low
end

function request()
  local a, b = pick(), pick()
  while b == a do b = pick() end
  local body = string.format('{"from":%d,"to":%d,"amount":0.01}', first + a - 1, first + b - 1)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local all_created, all_other = 0, 0
  for _, thread in ipairs(threads) do
    all_created = all_created + thread:get("created")
    all_other = all_other + thread:get("other")
  end
  io.write(string.format("created %d\nother %d\np50_ms %.2f\np99_ms %.2f\n", all_created, all_other,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
