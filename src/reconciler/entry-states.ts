import type { Queue } from 'bullmq';
import type { ChainableCommander } from 'ioredis';

/** What the reconciler needs to know of a job's entry: there and not finished, absent, or finished. */
export type EntryState = 'live' | 'missing' | 'finished';

/**
 * The state of many entries of one queue in one script: instead of BullMQ's getState per entry (a
 * script that walks the wait and paused lists with LPOS, one round trip per job), an entry is
 * finished when it is in the completed or failed set (ZSCORE), missing when its hash is gone, and
 * live otherwise (waiting, prioritized, delayed, active or paused: BullMQ's scripts keep an entry's
 * hash and its place in one of these together).
 *
 *   KEYS[1] the queue's completed set, KEYS[2] its failed set
 *   ARGV[1] the prefix of an entry's hash key ("<prefix>:<queue>:"), ARGV[2…] entry ids
 *   Returns one number per id: 0 live, 1 missing, 2 finished.
 */
export const ENTRY_STATES_LUA = `
local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('ZSCORE', KEYS[1], id) or redis.call('ZSCORE', KEYS[2], id) then
    out[#out + 1] = 2
  elseif redis.call('EXISTS', ARGV[1] .. id) == 1 then
    out[#out + 1] = 0
  else
    out[#out + 1] = 1
  end
end
return out`;

const STATE_OF: Record<number, EntryState> = { 0: 'live', 1: 'missing', 2: 'finished' };

/**
 * The entries' states for ids grouped by queue, in ONE round trip to Redis (a pipeline holding one
 * script call per queue). Every queue of a producer reaches the same Redis, so the first one's
 * connection carries them all.
 */
export async function entryStates(groups: Map<Queue, string[]>): Promise<Map<string, EntryState>> {
  const states = new Map<string, EntryState>();
  if (groups.size === 0) return states;
  const queues = [...groups.keys()];
  // molq's queues connect with ioredis options, so BullMQ's client is ioredis and its pipeline ioredis's
  const pipeline = (await queues[0].client).pipeline() as unknown as ChainableCommander;
  for (const queue of queues)
    pipeline.eval(ENTRY_STATES_LUA, 2, queue.keys.completed, queue.keys.failed, queue.toKey(''), ...groups.get(queue)!);
  const replies = (await pipeline.exec()) ?? [];
  replies.forEach(([err, codes], i) => {
    if (err) throw err;
    const ids = groups.get(queues[i])!;
    (codes as number[]).forEach((code, j) => states.set(ids[j], STATE_OF[code]));
  });
  return states;
}
