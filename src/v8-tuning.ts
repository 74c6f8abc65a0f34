import { setFlagsFromString } from 'node:v8';

/*
 * Two changes to V8's collector for a server process, made before anything else is loaded
 * (main.ts imports this module first). Neither sets a size: the heap's limits are Node's defaults.
 *
 * No allocation-site pretenuring. V8 watches each place in the code that creates objects, and once
 * nearly all the objects from one place are still alive at a young collection, it creates that
 * place's later objects directly in the old generation. In the hub, objects made for one request
 * are alive at a young collection whenever their request is waiting on PostgreSQL, and objects an
 * older, dead holder still points to count as alive too, so V8 judged request-scoped places
 * long-lived: under the dossier at 8 connections the old generation grew by 4.4 MB per young
 * collection, of which 0.4 MB was promoted and 4 MB created there directly, all of it dead by the
 * next full collection. Without it, each object starts young and only what survives two young
 * collections moves: 0.4 MB per collection, and the peak RSS under the dossier 20 MB lower at the
 * same throughput (docs/performance.md, "Pretenuring").
 *
 * The old generation collected at twice its live size. After each full collection V8 lets the old
 * generation grow to the live heap times a factor before the next one, and picks the factor
 * (between 1.1 and 4) from how fast the program allocates against how fast it collects. A server
 * under load allocates fast, so V8 chose near 4, and the hub's RSS peaked wherever that limit fell:
 * 285–333 MB under the bench loads with a live heap of 50–60 MB. A fixed factor of 2 keeps the
 * peaks near 210 MB; the extra full collections (about one more per 20 s of load) cost no
 * throughput or CPU that the bench could tell from its noise (docs/performance.md, "Where the next
 * full collection falls"). The limit still grows with the live heap, so a large import is not
 * squeezed: only the slack above what is alive is bounded.
 */
setFlagsFromString('--no-allocation-site-pretenuring');
setFlagsFromString('--heap-growing-percent=100');
