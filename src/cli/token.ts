import { mintToken, Role, tokenSettings } from '../auth/principal';
import { loadConfig } from '../config';
import { Jurisdiction } from '../domain/jurisdictions';
import { parseArgs, runCli } from './args';

/** The default lifetime: 12 hours, or the hub's cap if that is shorter. */
const DEFAULT_EXPIRES_SECONDS = 12 * 3600;

/**
 * `npm run token -- --jurisdiction WUJIANG --roles DOSSIER_READER[,ENFORCEMENT] [--expires 2h]`:
 * prints a signed token. `--expires` may not exceed HUB_JWT_MAX_LIFETIME_SECONDS (the hub would
 * refuse the token), so a longer one is an error here, not a token that fails later.
 */
runCli(async () => {
  const config = loadConfig();
  const args = parseArgs(process.argv.slice(2), { jurisdiction: 'string', roles: 'string', sub: 'string', org: 'string', expires: 'string' });
  const jurisdiction = String(args.jurisdiction ?? '');
  if (!(Object.values(Jurisdiction) as string[]).includes(jurisdiction)) {
    throw new Error(`--jurisdiction must be one of ${Object.values(Jurisdiction).join(', ')}`);
  }
  const roles = String(args.roles ?? 'DOSSIER_READER').split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(Object.values(Role) as string[]).includes(r));
  if (unknown.length) throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are ${Object.values(Role).join(', ')}`);
  const expires = args.expires === undefined ? `${Math.min(DEFAULT_EXPIRES_SECONDS, config.jwtMaxLifetimeSeconds)}s` : String(args.expires);
  if (/^\d+$/.test(expires)) throw new Error(`--expires needs a unit, e.g. ${expires}s, 30m, 2h`);
  let token: string;
  try {
    token = await mintToken(
      tokenSettings(config),
      {
        sub: String(args.sub ?? `dev-${jurisdiction.toLowerCase()}`),
        org: String(args.org ?? `${jurisdiction}-EEB`),
        jurisdiction: jurisdiction as Jurisdiction,
        roles: roles as Role[],
      },
      expires,
    );
  } catch (err) {
    throw new Error(`--expires ${expires}: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.stdout.write(token + '\n');
});
