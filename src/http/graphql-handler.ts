import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { spliceShaped } from '../graphql/shaped-json';

/**
 * Apollo Server on Express: the request handed to `executeHTTPGraphQLRequest`, its answer written
 * back. It does what `@as-integrations/express5` did, plus one thing that package cannot: a body
 * with answers PostgreSQL wrote as the response (`ShapedJson`) is sent as bytes, the answers' UTF-8
 * spliced into their slots (`spliceShaped`): no string of the whole body is built, flattened and
 * encoded again on the socket (a 230 KB list page of Chinese text is a 460 KB two-byte string).
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
    if (response.body.kind === 'complete') {
      res.send(body);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
