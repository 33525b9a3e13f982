/**
 * Exact sliding-window limiter, one atomic script, clocked by Redis (TIME), so the clocks of
 * the callers' machines do not matter.
 *
 * KEYS[1]  sorted set of the grants still inside the window (member = unique id, score = µs)
 * KEYS[2]  hash of counters: "<key>:granted", "<key>:refused"
 * KEYS[3]  optional list receiving every grant's Redis time in µs (benchmark audit); "" = none
 * ARGV[1]  limit: grants allowed in any window
 * ARGV[2]  window length in µs
 * ARGV[3]  cost of this call (grants it needs at once)
 * ARGV[4]  unique id of this call (members are "<id>:<n>")
 * ARGV[5]  counter field prefix (the limiter key's name)
 *
 * Returns {allowed (1|0), retry_after_us, used_after, now_us}. A call is granted when the
 * grants in (now - window, now] plus its cost fit the limit, so no window of that length,
 * wherever it starts, ever holds more than the limit. When refused, retry_after_us is the
 * time until enough of the oldest grants leave the window for this cost to fit.
 */
export const SLIDING_WINDOW_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
if cost > limit then
  redis.call('HINCRBY', KEYS[2], ARGV[5] .. ':refused', 1)
  return {0, -1, used, now}
end
if used + cost <= limit then
  local args = {}
  for i = 1, cost do
    args[#args + 1] = now
    args[#args + 1] = ARGV[4] .. ':' .. i
  end
  redis.call('ZADD', KEYS[1], unpack(args))
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  redis.call('HINCRBY', KEYS[2], ARGV[5] .. ':granted', cost)
  if KEYS[3] ~= '' then
    for i = 1, cost do redis.call('RPUSH', KEYS[3], now) end
  end
  return {1, 0, used + cost, now}
end
local oldest = redis.call('ZRANGE', KEYS[1], used + cost - limit - 1, used + cost - limit - 1, 'WITHSCORES')
redis.call('HINCRBY', KEYS[2], ARGV[5] .. ':refused', 1)
return {0, tonumber(oldest[2]) + window - now, used, now}
`;

/** Current use of a window: grants in (now - window, now]. KEYS[1] as above; ARGV[1] window µs. */
export const WINDOW_USE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
return redis.call('ZCOUNT', KEYS[1], '(' .. (now - tonumber(ARGV[1])), '+inf')
`;
