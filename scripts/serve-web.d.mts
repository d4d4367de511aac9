export interface ServeWebOptions {
  /** Folder with the built web app (out/web). */
  dir: string;
  /** Port on 127.0.0.1; 0 picks a free one. Default 5173. */
  port?: number;
  /** Relay the app should use, served as /config.json and allowed by the CSP. */
  relayUrl?: string | null;
}

export interface WebServer {
  /** e.g. http://127.0.0.1:5173/ */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export declare function serveWeb(options: ServeWebOptions): Promise<WebServer>;
export declare function webCsp(relayUrl: string | null | undefined): string;
