import { webhookManageDenial, webhookRegistrationDenial } from '../../src/auth/policy';
import { Principal, PUBLIC_PRINCIPAL, Role, SYSTEM_PRINCIPAL } from '../../src/auth/principal';
import { Jurisdiction } from '../../src/domain/jurisdictions';

const user = (jurisdiction: Jurisdiction, roles: Role[], org = `${jurisdiction}-EEB`): Principal => ({ kind: 'user', sub: 'u', org, jurisdiction, roles });

describe('who registers a webhook, for which topics', () => {
  test.each([
    ['a district, alerts', user(Jurisdiction.WUJIANG, [Role.CATALOG_READER]), ['ALERT_RAISED'], null],
    ['a province, alert changes', user(Jurisdiction.JIANGSU, [Role.CATALOG_READER]), ['ALERT_CHANGED'], null],
    ['the credit platform, the feed', user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED]), ['CREDIT_FEED'], null],
    ['the credit platform without its role', user(Jurisdiction.CREDIT_YRD, [Role.CATALOG_READER]), ['CREDIT_FEED'], 'role.required'],
    ['the credit platform, alerts', user(Jurisdiction.CREDIT_YRD, [Role.CREDIT_FEED]), ['ALERT_RAISED'], 'webhook.alertsNotReadable'],
    ['a district, the feed', user(Jurisdiction.QINGPU, [Role.CREDIT_FEED]), ['CREDIT_FEED'], 'feed.platformAndZoneOnly'],
    ['the public', PUBLIC_PRINCIPAL, ['ALERT_RAISED'], 'webhook.public'],
    ['a token without an org', { ...user(Jurisdiction.WUJIANG, [Role.CATALOG_READER]), org: null }, ['ALERT_RAISED'], 'webhook.public'],
    ['the system', SYSTEM_PRINCIPAL, ['CREDIT_FEED'], null],
  ] as const)('%s → %s', (_what, p, topics, rule) => {
    expect(webhookRegistrationDenial(p as Principal, topics as readonly string[])?.rule ?? null).toBe(rule);
  });
});

describe('who manages a registration', () => {
  test('its own agency only, whatever the roles of another', () => {
    expect(webhookManageDenial(user(Jurisdiction.WUJIANG, [Role.CATALOG_READER], 'WUJIANG-EEB'), 'WUJIANG-EEB')).toBeNull();
    expect(webhookManageDenial(user(Jurisdiction.WUJIANG, [Role.ADMIN], 'WUJIANG-WATER'), 'WUJIANG-EEB')?.rule).toBe('webhook.ownAgencyOnly');
    expect(webhookManageDenial(user(Jurisdiction.ZONE, [Role.ADMIN], 'ZONE-OFFICE'), 'WUJIANG-EEB')?.rule).toBe('webhook.ownAgencyOnly');
    expect(webhookManageDenial(PUBLIC_PRINCIPAL, 'WUJIANG-EEB')?.rule).toBe('webhook.ownAgencyOnly');
  });
});
