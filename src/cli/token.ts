import { mintToken, Role } from '../auth/principal';
import { loadConfig } from '../config';
import { Jurisdiction } from '../domain/jurisdictions';
import { parseArgs, runCli } from './args';

/** `npm run token -- --jurisdiction WUJIANG --roles DOSSIER_READER[,ENFORCEMENT]`: prints a signed token. */
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
  const token = await mintToken(
    { secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience },
    {
      sub: String(args.sub ?? `dev-${jurisdiction.toLowerCase()}`),
      org: String(args.org ?? `${jurisdiction}-EEB`),
      jurisdiction: jurisdiction as Jurisdiction,
      roles: roles as Role[],
    },
    String(args.expires ?? '12h'),
  );
  process.stdout.write(token + '\n');
});
