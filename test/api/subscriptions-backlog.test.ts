import { Jurisdiction } from '../../src/domain/jurisdictions';
import { enterpriseInput, make } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';
import { eventually, listen, subscribe } from '../support/live';

/** A subscriber that does not keep up is ended with RATE_LIMITED rather than left to grow the hub's memory (HUB_WS_MAX_PENDING_EVENTS). */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('empty', { HUB_WS_MAX_PENDING_EVENTS: '2' });
});
afterAll(() => t.close());

test('more events waiting than allowed end the subscription with RATE_LIMITED', async () => {
  const url = await listen(t.hub.httpServer);
  const token = await t.token('ZONE', ['DOSSIER_READER'], { sub: 'live-backlog' });
  const live = await subscribe(url, token, 'subscription Backlog { recordChanged { key } }');
  await eventually(() => t.hub.subscriptions.listening() === 1, 'listening');
  await t.hub.events.ready();
  // One transaction of ten enterprises: ten notices arrive together, before the subscriber has taken one.
  const firms = await make(t.db.ds, 'enterprise', Array.from({ length: 10 }, () => enterpriseInput({ jurisdiction: Jurisdiction.WUJIANG })));
  const { errors } = await live.ended;
  expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', maxPending: 2 }) })]);
  expect(live.events.length).toBeLessThan(firms.length);
  await eventually(() => t.hub.subscriptions.listening() === 0, 'the ended subscription released');
  await live.close();
});
