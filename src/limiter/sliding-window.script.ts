/**
 * Exact sliding-window limiter with reservations, one atomic script, clocked by Redis (TIME),
 * so the clocks of the callers' machines do not matter.
 *
 * KEYS[1]  sorted set of grants still inside the window, and reservations ahead of now
 *          (member = unique id, score = grant time in µs)
 * KEYS[2]  hash of counters: "<key>:granted", "<key>:refused"
 * KEYS[3]  optional list receiving every grant's time in µs (benchmark audit); "" = none
 * ARGV[1]  limit: grants allowed in any window
 * ARGV[2]  window length in µs
 * ARGV[3]  cost of this call (grants it needs at once)
 * ARGV[4]  unique id of this call (members are "<id>:<n>")
 * ARGV[5]  counter field prefix (the limiter key's name)
 * ARGV[6]  longest wait in µs the caller accepts for a reservation; 0 = grant now or refuse
 *
 * The grant time t is the earliest time not before now, not before the latest grant, at which
 * the grants in (t - window, t] plus this cost fit the limit; a grant in the future (a
 * reservation) is also kept window/limit after the latest one, so a backlog is served at an
 * even pace rather than in bursts of a whole window. Grant times therefore never
 * decrease, and by induction no window of that length, wherever it starts, ever holds more
 * than the limit. If t - now ≤ ARGV[6] the grant is recorded at t (a reservation when t > now:
 * the caller sleeps t - now and needs no second call); otherwise nothing is recorded.
 *
 * Returns {granted (1|0), wait_us (t - now), used (entries after the call), now_us};
 * wait_us = -1 when the cost can never fit (cost > limit).
 */
export const SLIDING_WINDOW_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local max_wait = tonumber(ARGV[6])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
if cost > limit then
  redis.call('HINCRBY', KEYS[2], ARGV[5] .. ':refused', 1)
  return {0, -1, used, now}
end
local t = now
if used > 0 then
  local latest = tonumber(redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
  t = math.max(t, latest)
  local k = used + cost - limit
  if k > 0 then
    local kth = redis.call('ZRANGE', KEYS[1], k - 1, k - 1, 'WITHSCORES')
    t = math.max(t, tonumber(kth[2]) + window)
  end
  -- reservations are paced one slot apart, so a backlog drains smoothly instead of in bursts
  if t > now then t = math.max(t, latest + math.ceil(window / limit)) end
end
local wait = t - now
if wait > max_wait then
  redis.call('HINCRBY', KEYS[2], ARGV[5] .. ':refused', 1)
  return {0, wait, used, now}
end
local args = {}
for i = 1, cost do
  args[#args + 1] = t
  args[#args + 1] = ARGV[4] .. ':' .. i
end
redis.call('ZADD', KEYS[1], unpack(args))
redis.call('PEXPIRE', KEYS[1], math.ceil((wait + window) / 1000) + 1000)
redis.call('HINCRBY', KEYS[2], ARGV[5] .. ':granted', cost)
if KEYS[3] ~= '' then
  for i = 1, cost do redis.call('RPUSH', KEYS[3], t) end
end
return {1, wait, used + cost, now}
`;

/** Current use of a window: grants in (now - window, now]. KEYS[1] as above; ARGV[1] window µs. */
export const WINDOW_USE_LUA = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
return redis.call('ZCOUNT', KEYS[1], '(' .. (now - tonumber(ARGV[1])), now)
`;
