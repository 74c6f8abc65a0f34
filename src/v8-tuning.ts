import { setFlagsFromString } from 'node:v8';

/*
 * One change to V8's collector for a server process, made before anything else is loaded
 * (main.ts imports this module first). It leaves the heap's sizes as they are: no limit is set.
 *
 * No allocation-site pretenuring. V8 watches each place in the code that creates objects, and once
 * nearly all the objects from one place are still alive at a young collection, it creates that
 * place's later objects directly in the old generation. In the hub, objects made for one request
 * are alive at a young collection whenever their request is waiting on PostgreSQL, and objects an
 * older, dead holder still points to count as alive too, so V8 judged request-scoped places
 * long-lived: under the dossier at 8 connections the old generation grew by 4.4 MB per young
 * collection, of which 0.4 MB was promoted and 4 MB created there directly, all of it dead by the
 * next full collection. V8 sets its next limit from how fast the old generation fills, so this
 * also let it grow to four times the live heap before collecting. Without it, each object starts
 * young and only what survives two young collections moves: 0.4 MB per collection, and the peak
 * RSS under the dossier 20 MB lower at the same throughput (docs/performance.md, "Pretenuring").
 */
setFlagsFromString('--no-allocation-site-pretenuring');
