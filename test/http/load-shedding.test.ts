/** The load shedder's two bounds, on a clock the tests move. */
import { createLoadShedder } from '../../src/http/load-shedding.js';

function shedderWithClock(limits = { maxInFlight: 2, cpuShare: 0.5, cpuBurstMs: 100 }) {
  let time = 0;
  const shedder = createLoadShedder(limits, () => time);
  return {
    shedder,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('createLoadShedder', () => {
  it('refuses while maxInFlight requests are being answered, and admits again as they finish', () => {
    const { shedder } = shedderWithClock();
    expect([shedder.tryStart(), shedder.tryStart(), shedder.tryStart()]).toEqual([true, true, false]);
    shedder.finish();
    expect(shedder.tryStart()).toBe(true);
  });

  it('refuses once the work charged runs ahead of the share by the burst, until time pays it back', () => {
    const { shedder, advance } = shedderWithClock({ maxInFlight: 100, cpuShare: 0.5, cpuBurstMs: 100 });
    expect(shedder.tryStart()).toBe(true);
    shedder.charge(150);
    shedder.finish();
    expect(shedder.tryStart()).toBe(false);
    // 150 ms of debt at a share of 0.5 is paid down to the burst after 100 ms.
    advance(99);
    expect(shedder.tryStart()).toBe(false);
    advance(2);
    expect(shedder.tryStart()).toBe(true);
  });

  it('lets work at the share go on for ever', () => {
    const { shedder, advance } = shedderWithClock({ maxInFlight: 100, cpuShare: 0.5, cpuBurstMs: 100 });
    for (let request = 0; request < 10_000; request++) {
      expect(shedder.tryStart()).toBe(true);
      shedder.charge(5);
      shedder.finish();
      advance(10);
    }
  });

  it('never counts below zero in flight, whatever the caller does', () => {
    const { shedder } = shedderWithClock({ maxInFlight: 1, cpuShare: 1, cpuBurstMs: 1 });
    shedder.finish();
    shedder.finish();
    expect([shedder.tryStart(), shedder.tryStart()]).toEqual([true, false]);
  });
});
