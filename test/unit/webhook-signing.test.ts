import { createHmac } from 'node:crypto';
import { checkReceiverUrl, isForbiddenAddress } from '../../src/modules/webhook/url-guard';
import { signWebhook, verifyWebhookSignature } from '../../src/modules/webhook/signing';

describe('receiver addresses', () => {
  test.each([
    ['127.0.0.1', true], ['10.0.0.1', true], ['172.31.255.255', true], ['172.32.0.1', false], ['192.168.0.1', true], ['169.254.169.254', true],
    ['100.100.100.200', true], ['100.63.255.255', false], ['0.0.0.0', true], ['224.0.0.1', true], ['255.255.255.255', true], ['198.18.0.1', true],
    ['8.8.8.8', false], ['93.184.215.14', false], ['::1', true], ['::', true], ['::ffff:10.0.0.1', true], ['::ffff:8.8.8.8', true],
    ['fd12:3456::1', true], ['fe80::1%eth0', true], ['ff02::1', true], ['2001:db8::1', true], ['64:ff9b::a00:1', true], ['2002:7f00:1::', true],
    ['2400:3200::1', false], ['[2400:3200::1]', false], ['example.com', true], ['', true],
  ])('%s forbidden: %s', (address, forbidden) => {
    expect(isForbiddenAddress(address)).toBe(forbidden);
  });

  const closed = { allowHttp: false, allowPrivate: false };
  test('a name is checked by every address it resolves to', async () => {
    const resolve = async (host: string) => (host === 'partner.example' ? ['203.0.114.7', '2400:3200::1'] : host === 'split.example' ? ['203.0.114.7', '10.0.0.9'] : []);
    await expect(checkReceiverUrl('https://partner.example/in', closed, 'input.url', resolve)).resolves.toBe('https://partner.example/in');
    await expect(checkReceiverUrl('https://split.example/in', closed, 'input.url', resolve)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.url', rule: 'webhook.privateAddress' } });
    await expect(checkReceiverUrl('https://nowhere.example/in', closed, 'input.url', resolve)).rejects.toMatchObject({ extensions: { rule: 'webhook.unresolvable' } });
    const failing = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(checkReceiverUrl('https://partner.example/in', closed, 'input.url', failing)).rejects.toMatchObject({ extensions: { rule: 'webhook.unresolvable' } });
  });

  test('http only in development; private addresses (and http to them) only with the explicit setting', async () => {
    const resolve = async () => ['203.0.114.7'];
    await expect(checkReceiverUrl('http://partner.example/in', closed, 'input.url', resolve)).rejects.toMatchObject({ extensions: { rule: 'webhook.https' } });
    await expect(checkReceiverUrl('http://partner.example/in', { allowHttp: true, allowPrivate: false }, 'input.url', resolve)).resolves.toBe('http://partner.example/in');
    await expect(checkReceiverUrl('http://127.0.0.1:8080/in', { allowHttp: true, allowPrivate: false }, 'input.url', resolve)).rejects.toMatchObject({ extensions: { rule: 'webhook.privateAddress' } });
    await expect(checkReceiverUrl('http://127.0.0.1:8080/in', { allowHttp: false, allowPrivate: true }, 'input.url', resolve)).resolves.toBe('http://127.0.0.1:8080/in');
  });
});

describe('signatures', () => {
  test('sha256=<hex HMAC-SHA256 of "timestamp.body">, as any receiver computes it', () => {
    const body = '{"id":"e1","topic":"ALERT_RAISED"}';
    const expected = 'sha256=' + createHmac('sha256', 'whsec_k').update(`1700000000.${body}`).digest('hex');
    expect(signWebhook('whsec_k', '1700000000', body)).toBe(expected);
    expect(verifyWebhookSignature('whsec_k', '1700000000', body, expected)).toBe(true);
    expect(verifyWebhookSignature('whsec_k', '1700000001', body, expected)).toBe(false);
    expect(verifyWebhookSignature('whsec_other', '1700000000', body, expected)).toBe(false);
    expect(verifyWebhookSignature('whsec_k', '1700000000', body, 'sha256=00')).toBe(false);
  });
});
