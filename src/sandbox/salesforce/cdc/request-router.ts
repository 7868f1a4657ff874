/**
 * Routes the Bayeux endpoint's HTTP requests (and CDC's control endpoints) to their handlers before the sandbox's
 * express app sees them: the app's body parsers would consume the request stream faye reads, and its catch-all 404
 * comes before any route added later. Every other request goes to the listeners the server had. Undone on close, so
 * the server is left as it was found.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export function routeRequests(
  server: Server,
  matches: (pathname: string) => boolean,
  handle: (request: IncomingMessage, response: ServerResponse, pathname: string) => void,
): () => void {
  const previous = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const dispatch = (request: IncomingMessage, response: ServerResponse): void => {
    const pathname = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname;
    if (matches(pathname)) {
      handle(request, response, pathname);
      return;
    }
    for (const listener of previous) listener.call(server, request, response);
  };
  server.on('request', dispatch);
  return () => {
    server.removeListener('request', dispatch);
    for (const listener of previous) server.on('request', listener);
  };
}
