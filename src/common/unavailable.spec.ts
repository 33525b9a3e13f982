import { ServiceUnavailableError, isUnavailable, untilAvailable } from './unavailable';

describe('isUnavailable (503 instead of 500)', () => {
  it.each([
    ['pg refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['pg terminated', new Error('Connection terminated unexpectedly')],
    ['pg connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'pg admin shutdown (57P01) under TypeORM',
      Object.assign(new Error('QueryFailedError'), {
        driverError: { code: '57P01', message: 'terminating connection due to administrator command' },
      }),
    ],
    [
      'pg statement timeout (57014)',
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    ],
    ['pg too many connections (53300)', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
    ['redis closed', new Error('Connection is closed.')],
    ['redis offline queue off', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['redis command timeout', new Error('Command timed out')],
    [
      'redis retries',
      Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    [
      'given up on after retries, whatever its cause',
      new ServiceUnavailableError('gave up', { cause: new Error('NOPERM') }),
    ],
  ])('%s → unavailable', (_, err) => expect(isUnavailable(err)).toBe(true));

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['nothing', undefined],
  ])('%s → not unavailable (stays a 500 or its own status)', (_, err) => expect(isUnavailable(err)).toBe(false));
});

describe('untilAvailable', () => {
  const down = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

  it('runs the work again while the service is away, then returns its result', async () => {
    let calls = 0;
    const waits: string[] = [];
    const result = await untilAvailable(
      async () => (++calls < 3 ? Promise.reject(down()) : 'recorded'),
      10_000,
      (e) => waits.push(e.message),
    );
    expect({ result, calls, waits: waits.length }).toEqual({ result: 'recorded', calls: 3, waits: 2 });
  });

  it('throws at once an error that is not about availability', async () => {
    let calls = 0;
    await expect(untilAvailable(async () => Promise.reject(new Error(`bad input ${++calls}`)), 10_000)).rejects.toThrow(
      'bad input 1',
    );
  });

  it('gives up after its patience with the last error', async () => {
    const started = Date.now();
    await expect(untilAvailable(async () => Promise.reject(down()), 1_500)).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
