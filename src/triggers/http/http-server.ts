import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WispError } from "../../errors/wisp-error.js";
import type { JobHandle } from "../../engine/worker/job-handle.js";
import { CLIENT_CLOSED, type JobOutcome, type ResponseHead } from "../../engine/worker/protocol.js";
import type { WorkerPool } from "../../engine/worker/worker-pool.js";
import type { ComponentTarget, HttpRouter, RouteHit } from "./http-target.js";
import { BodyTooLarge, declaredEmpty, prepareBody, pumpBody, type PreparedBody } from "./request-body.js";
import type { RoutedRequest } from "./request-info.js";
import { byteLength } from "../../engine/io/byte-length.js";
import { checkResponseHead, checkTrailers } from "./response-head.js";
import { endWithChunks, WholeResponses } from "./whole-responses.js";

/** Spin answers paths under this itself, before routing: `health`, `info`, and 404 for the rest. */
export const WELL_KNOWN_PREFIX = "/.well-known/spin/";

/** Builds the executor-specific job payload for a routed request (executorPayload, see executors/). */
export type PayloadBuilder = (target: ComponentTarget, request: RoutedRequest) => unknown;

/** What serves requests; `wisp watch` swaps in a new one without restarting the server. */
export interface ServingApp {
  router: HttpRouter;
  pool: Pick<WorkerPool, "submit" | "cancel">;
  /** What `/.well-known/spin/info` reports. */
  appInfo: { name: string; version?: string };
}

export interface HttpTriggerOptions extends ServingApp {
  payload: PayloadBuilder;
  /** Where failures of a component are reported (`[component] ...` on the terminal). */
  logFailure: (componentId: string, message: string) => void;
}

/**
 * The HTTP trigger's server: routes each request, answers health checks and static responses
 * itself, and hands component requests to the worker pool, streaming bodies both ways.
 *
 * Lifecycle: `listen()` once, `close()` once (stops accepting, lets in-flight requests finish).
 */
export class HttpTriggerServer {
  private readonly server: Server;

  private app: ServingApp;
  private readonly wholeResponses = new WholeResponses();

  constructor(private readonly options: HttpTriggerOptions) {
    this.app = { router: options.router, pool: options.pool, appInfo: options.appInfo };
    this.server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => this.handle(req, res));
  }

  /** New requests go to `app` from now on; requests in flight finish where they started. */
  swap(app: ServingApp): void {
    this.app = app;
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        if (error.code === "EADDRINUSE") {
          reject(
            new WispError(
              "PORT_IN_USE",
              `cannot listen on ${host}:${port}: the port is already in use`,
              "stop the other server or choose another address with --listen HOST:PORT",
            ),
          );
        } else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EACCES") {
          reject(
            new WispError(
              "LISTEN_INVALID",
              `cannot listen on ${host}:${port}: ${error.code}`,
              "use an address of this machine, e.g. --listen 127.0.0.1:3000",
            ),
          );
        } else reject(error);
      };
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and resolves once in-flight requests have finished. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    if (path.startsWith(WELL_KNOWN_PREFIX)) return this.wellKnown(path.slice(WELL_KNOWN_PREFIX.length), res);
    const hit = this.app.router.match(path);
    if (!hit) return void res.writeHead(404).end();
    const target = hit.target;
    if (target.kind === "static") {
      res.writeHead(target.status, [...target.headers.flat(), "content-length", String(target.body.length)]);
      return void res.end(target.body);
    }
    const request = routedRequest(req, url, path, queryAt < 0 ? "" : url.slice(queryAt + 1), hit);
    const empty = declaredEmpty(req);
    if (empty) {
      // Nothing to read: the request is dispatched now, not a promise later.
      req.resume();
      return this.dispatch(req, res, target, request, empty);
    }
    prepareBody(req, target.maxRequestBodyBytes).then(
      (prepared) => this.dispatch(req, res, target, request, withTrailers(request, req, prepared)),
      (error: Error) => {
        if (error instanceof BodyTooLarge) tooLargeAnswer(req, res, target);
        else if (!res.headersSent) res.writeHead(400).end();
      },
    );
  }

  /** A guest's trailers, checked (see checkTrailers); none, with a log line, when they are bad. */
  private trailersOf(
    target: ComponentTarget,
    sent: ReadonlyArray<readonly [string, string]>,
  ): Array<[string, string]> | undefined {
    const checked = checkTrailers(sent);
    if (!checked.ok) {
      this.options.logFailure(target.componentId, `its trailers were not sent: ${checked.problem}`);
      return undefined;
    }
    return checked.trailers.length > 0 ? checked.trailers : undefined;
  }

  private wellKnown(name: string, res: ServerResponse): void {
    if (name === "health") return void res.writeHead(200, { "content-type": "text/plain" }).end("OK");
    if (name === "info") {
      const body = JSON.stringify(this.app.appInfo, null, 2);
      return void res.writeHead(200, { "content-type": "application/json" }).end(body);
    }
    res.writeHead(404).end();
  }

  private dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    target: ComponentTarget,
    request: RoutedRequest,
    prepared: PreparedBody,
  ): void {
    // The pool that runs this request, even if the app is swapped while it runs.
    const { pool } = this.app;
    const { logFailure } = this.options;
    let finished = false;
    // Set once the server has answered for the guest (its head was refused: 502; its body was too
    // large: 413): the client has its answer, and whatever the guest still writes is dropped.
    let refused = false;
    /** Chunks the socket has not taken yet, acknowledged once it drains. */
    const waitingForDrain: Array<() => void> = [];
    const refuse = (problem: string): void => {
      refused = true;
      logFailure(target.componentId, `its response was refused (502): ${problem}`);
      res.writeHead(502, { "content-length": "0" }).end();
      if (!finished) pool.cancel(job);
    };
    const job: JobHandle = {
      guestId: target.componentId,
      payload: this.options.payload(target, request),
      body: prepared.body,
      timeoutMs: target.timeoutMs,
      onHead: (status, headers) => {
        if (res.headersSent || refused) return;
        const checked = checkResponseHead({ status, headers });
        if (!checked.ok) return refuse(checked.problem);
        res.writeHead(checked.head.status, checked.head.headers.flat());
      },
      onData: (data, written) => {
        if (res.destroyed || refused) return written();
        if (res.write(data) && waitingForDrain.length === 0) return written();
        // One listener for every chunk behind the socket (a concurrent job may have a window of them).
        waitingForDrain.push(written);
        if (waitingForDrain.length === 1)
          res.once("drain", () => {
            for (const acknowledge of waitingForDrain.splice(0)) acknowledge();
          });
      },
      onDone: (
        outcome: JobOutcome,
        last?: readonly Uint8Array[],
        head?: ResponseHead,
        sentTrailers?: ReadonlyArray<readonly [string, string]>,
      ) => {
        finished = true;
        if (refused) return;
        const trailers = outcome.kind === "ok" && sentTrailers ? this.trailersOf(target, sentTrailers) : undefined;
        if (outcome.kind === "failed") {
          // A client that hung up is not the component's failure: nothing to log.
          if (outcome.status !== CLIENT_CLOSED) logFailure(target.componentId, outcome.message);
          if (!res.headersSent) {
            res.writeHead(outcome.status, { "content-length": "0" });
          } else if (!res.writableEnded) {
            // The head is out: the only honest signal left is to cut the connection.
            return void res.destroy();
          }
        } else {
          // A response whole at its end goes out with a content-length, head and body in one
          // write, not chunked (five buffers per write), as Spin's WAGI answers.
          const length = head ? byteLength(last) : 0;
          if (head && !res.headersSent) {
            const checked = checkResponseHead(head);
            if (!checked.ok) return refuse(checked.problem);
            const flat = checked.head.headers.flat();
            // With trailers the body goes chunked, the only framing that carries them.
            if (mayHaveBody(head.status) && !trailers) flat.push("content-length", String(length));
            res.writeHead(head.status, flat);
          }
          if (trailers) res.addTrailers(trailers);
          if (!res.headersSent) res.writeHead(500, { "content-length": "0" });
          else if (head && !trailers) return void this.wholeResponses.end(res, last, length);
          // A streamed response (its head went out before) ends now: its body is flowing already.
          else if (last && !res.destroyed) return void endWithChunks(res, last);
        }
        res.end();
      },
      pumpBody: (feeder) =>
        pumpBody(
          req,
          feeder,
          target.maxRequestBodyBytes,
          () => {
            // The guest's next read fails; the client need not wait for the guest to notice.
            if (refused || finished) return;
            refused = true;
            if (res.headersSent) {
              // Its head is out: a response cut short is the only honest signal left.
              res.destroy();
            } else {
              tooLargeAnswer(req, res, target);
            }
            pool.cancel(job);
          },
          prepared.prefix,
        ),
    };
    pool.submit(job);
    // A job run inline is finished already; one on a worker can be cancelled if its client leaves.
    if (!finished) {
      res.on("close", () => {
        if (!finished) pool.cancel(job);
      });
    }
  }
}

/**
 * A body read whole has its trailers known (a chunked request's, after its last chunk): the guest
 * gets them (a wasi:http 0.3 request's trailers). A streamed body's come after the guest started,
 * and are not passed on.
 */
function withTrailers(request: RoutedRequest, req: IncomingMessage, prepared: PreparedBody): PreparedBody {
  if ("inline" in prepared.body && req.rawTrailers.length > 0) {
    const trailers: Array<[string, string]> = [];
    for (let i = 0; i + 1 < req.rawTrailers.length; i += 2)
      trailers.push([req.rawTrailers[i]!.toLowerCase(), req.rawTrailers[i + 1]!]);
    request.trailers = trailers;
  }
  return prepared;
}

/** How long the rest of a refused body is read (and dropped) before its connection is cut. */
const LINGER_MS = 2_000;

/**
 * 413 for a body over the component's limit. The rest of the body is read and dropped (Node drains
 * it before the connection serves another request), for a while: a connection closed with the
 * client's bytes still arriving is reset, and a reset can reach the client before the 413 does. A
 * client still sending after LINGER_MS has its connection cut.
 */
function tooLargeAnswer(req: IncomingMessage, res: ServerResponse, target: ComponentTarget): void {
  res.writeHead(413, { "content-type": "text/plain" });
  res.end(
    `request body too large: the limit for component ${target.componentId} is ${target.maxRequestBodyBytes} bytes\n`,
  );
  if (req.complete) return;
  req.resume();
  const cut = setTimeout(() => req.socket.destroy(), LINGER_MS);
  cut.unref();
  req.once("end", () => clearTimeout(cut));
}

function routedRequest(req: IncomingMessage, url: string, path: string, query: string, hit: RouteHit): RoutedRequest {
  const headers: Array<[string, string]> = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    // A client must not be able to forge the headers Spin's trigger sets.
    if (name.startsWith("spin-")) continue;
    headers.push([name, raw[i + 1]!]);
  }
  const local = req.socket.address() as AddressInfo;
  const remote = req.socket.remoteAddress ?? "";
  const remoteText = remote.includes(":") ? `[${remote}]` : remote;
  return {
    method: req.method ?? "GET",
    pathWithQuery: url,
    path,
    query,
    scheme: "encrypted" in req.socket ? "https" : "http",
    authority: req.headers.host ?? `${local.address}:${local.port}`,
    headers,
    clientAddr: `${remoteText}:${req.socket.remotePort ?? 0}`,
    selfOrigin: `http://${local.family === "IPv6" ? `[${local.address}]` : local.address}:${local.port}`,
    route: {
      raw: hit.rawComponentRoute,
      componentRoute: hit.componentRoute,
      matched: hit.matchedRoute,
      pathInfo: hit.pathInfo,
      params: hit.params,
    },
  };
}

/** Whether a response with this status carries a body, and so a content-length (RFC 9110: not 1xx, 204 or 304). */
function mayHaveBody(status: number): boolean {
  return status >= 200 && status !== 204 && status !== 304;
}
