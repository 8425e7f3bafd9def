-- wrk script of the IdentityBroker load tool: POSTs AWS JSON 1.1 bodies read from a file (one per line), each wrk
-- thread starting at its own offset, and prints one machine-readable RESULT line when done.
-- Usage: wrk -s bodies.lua URL -- <X-Amz-Target> <bodies file>
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
end

local bodies = {}
local target = ""
local i = 0
local headers = {}

function init(args)
  target = args[1]
  for line in io.lines(args[2]) do
    bodies[#bodies + 1] = line
  end
  -- Each thread has its own Lua state: thread k starts k * 7919 bodies in, so two threads do not walk in step.
  i = (index * 7919) % #bodies
  headers = { ["Content-Type"] = "application/x-amz-json-1.1", ["X-Amz-Target"] = target }
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/", headers, bodies[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
