import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { spliceShaped } from '../graphql/shaped-json';

/**
 * Apollo Server on Express: the request handed to `executeHTTPGraphQLRequest`, its answer written
 * back. It does what `@as-integrations/express5` did, plus one thing that package cannot: a body
 * with answers PostgreSQL wrote as the response (`ShapedJson`) is written in parts, each answer's
 * text between the pieces of the body around it (`spliceShaped`): no string of the whole body is
 * built and flattened before the socket encodes it (a 230 KB list page of Chinese text is a
 * 460 KB two-byte string), and its length is counted, not encoded, for Content-Length.
 */
export function graphqlHandler<C extends BaseContext>(server: ApolloServer<C>, context: ContextFunction<[{ req: Request; res: Response }], C>): RequestHandler {
  server.assertStarted('graphqlHandler()');
  return async (req, res) => {
    // express.json() runs first; without a body Apollo could not tell a GET from a broken POST.
    if (!('body' in req)) throw new Error('the JSON body parser must run before the GraphQL handler');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const query = req.originalUrl.indexOf('?');
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: query >= 0 ? req.originalUrl.slice(query) : '', body: req.body },
      context: () => context({ req, res }),
    });
    const body = response.body.kind === 'complete' ? spliceShaped(response.body.string) : null;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status || 200;
    if (typeof body === 'string') {
      res.send(body);
      return;
    }
    if (body) {
      // What res.send does for a string, in parts: the length in bytes, then the parts in one corked write.
      let length = 0;
      for (const part of body) length += Buffer.byteLength(part, 'utf8');
      res.setHeader('Content-Length', length);
      for (let i = 0; i < body.length - 1; i++) res.write(body[i], 'utf8');
      res.end(body[body.length - 1], 'utf8');
      // The socket has the parts now; this frame lets go of them (ShapedJson, "One holder at a time").
      body.length = 0;
      return;
    }
    if (response.body.kind === 'chunked') {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
    }
    res.end();
  };
}
