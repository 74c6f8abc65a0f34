import express, { NextFunction, Request, Response, Router } from 'express';
import { DataSource } from 'typeorm';
import { ErrorCode } from '../../graphql/errors';
import { sendError } from '../../http/send-error';
import type { Logger } from '../../logger';
import { splitPackets } from '../../domain/standards/hj212';
import { Hj212Ingest, Hj212Settings, IngestHooks, MAX_PACKETS_PER_BODY, PacketOutcome } from './hj212-ingest.service';

/** What the JSON summary of a body says. */
export interface IngestSummary {
  packets: number;
  stored: number;
  acknowledged: number;
  rejected: number;
  observations: number;
  results: PacketOutcome[];
}

/** Counts a body's outcomes for the JSON answer: the logger's operator sees at once what was refused and why. */
export function summarize(results: PacketOutcome[]): IngestSummary {
  const count = (s: PacketOutcome['status']) => results.filter((r) => r.status === s).length;
  return {
    packets: results.length,
    stored: count('stored'),
    acknowledged: count('acknowledged'),
    rejected: count('rejected'),
    observations: results.reduce((n, r) => n + r.stored, 0),
    results,
  };
}

/**
 * `POST /ingest/hj212`: HJ 212-2017 packets over HTTP, one or many per text/plain body, one per
 * line. The answer is the reply packets, one per packet that asks for one (or that was refused
 * with an addressable header), in order; with `Accept: application/json`, a summary of every
 * packet instead. Devices authenticate per packet by MN and PW, so no bearer token is involved.
 * A database that cannot be reached goes to the hub's error handler: 503 with `Retry-After`, so
 * the sender knows to send the packets again later.
 */
export function hj212Router(o: { ds: DataSource; log: Logger; settings?: Partial<Hj212Settings>; hooks?: IngestHooks }): Router {
  const ingest = new Hj212Ingest(o.ds, o.log, o.settings, undefined, o.hooks);
  const router = Router();
  router.post(
    '/ingest/hj212',
    express.text({ type: () => true, limit: '1mb' }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const body = typeof req.body === 'string' ? req.body : '';
        const wantsJson = req.accepts(['text/plain', 'application/json']) === 'application/json';
        const count = splitPackets(body).length;
        if (count === 0 || count > MAX_PACKETS_PER_BODY) {
          const message = count === 0 ? 'the body holds no HJ 212 packet (one per line)' : `a body may hold at most ${MAX_PACKETS_PER_BODY} packets, got ${count}`;
          sendError(res, count === 0 ? 400 : 413, ErrorCode.BAD_USER_INPUT, message);
          return;
        }
        const results = await ingest.ingestBody(body, { transport: 'http', remote: req.ip });
        if (wantsJson) {
          res.json(summarize(results));
          return;
        }
        res.type('text/plain').send(results.map((r) => r.reply ?? '').join(''));
      } catch (err) {
        next(err);
      }
    },
  );
  return router;
}
