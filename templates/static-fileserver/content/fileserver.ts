// A static file server for Wisp, under WAGI: the component's `files` are mounted read-only at `/`
// (the sandbox's first preopened directory), the request path arrives as PATH_INFO, and the
// response goes to stdout as CGI headers, a blank line, then the file.
//
// Directories serve their index.html, and a directory asked for without its trailing slash is
// redirected (308) to the path with it, so that the relative links of its index.html resolve inside
// it (`/docs` + `style.css` would be `/style.css`); a missing file is a 404; every file has an ETag (size and
// modification time), and a matching If-None-Match gets a 304. The sandbox already keeps every
// path inside the folder; `..` segments are refused here as well, with a 404.
import {
  errno, fd, fd_close, fd_filestat_get, fd_read, fd_write, filestat, filetype, lookupflags, path_open, rights,
} from "bindings/wasi_snapshot_preview1";

const ROOT: fd = 3;
const STDOUT: fd = 1;
const CHUNK = 64 * 1024;

function env(name: string): string {
  return process.env.has(name) ? process.env.get(name) : "";
}

function writeBytes(ptr: usize, len: usize): void {
  const iov = memory.data(8);
  const written = memory.data(4);
  while (len > 0) {
    store<u32>(iov, <u32>ptr);
    store<u32>(iov, <u32>len, 4);
    if (fd_write(STDOUT, iov, 1, written) != errno.SUCCESS) return;
    const n = <usize>load<u32>(written);
    ptr += n;
    len -= n;
  }
}

function writeText(text: string): void {
  const bytes = String.UTF8.encode(text);
  writeBytes(changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** Opens `path` (relative to the files root) for reading; -1 when it cannot be opened. */
function open(path: string): i32 {
  const bytes = String.UTF8.encode(path);
  const out = memory.data(4);
  const base = rights.FD_READ | rights.FD_READDIR | rights.FD_FILESTAT_GET | rights.PATH_OPEN;
  const result = path_open(ROOT, lookupflags.SYMLINK_FOLLOW, changetype<usize>(bytes), bytes.byteLength, 0, base, base, 0, out);
  return result == errno.SUCCESS ? <i32>load<u32>(out) : -1;
}

function stat(file: i32): filestat {
  const st = changetype<filestat>(memory.data(64));
  fd_filestat_get(<fd>file, st);
  return st;
}

function contentType(path: string): string {
  const dot = path.lastIndexOf(".");
  const ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase();
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "txt" || ext == "md") return "text/plain; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "wasm") return "application/wasm";
  if (ext == "pdf") return "application/pdf";
  if (ext == "xml") return "application/xml";
  if (ext == "woff2") return "font/woff2";
  return "application/octet-stream";
}

function notFound(): void {
  writeText("content-type: text/plain; charset=utf-8\nstatus: 404\n\nNot found\n");
}

/** A 308 to the path the client asked for with a `/` added, its query kept. */
function redirectToDirectory(): void {
  // SCRIPT_NAME is the route's prefix (`/docs` for `/docs/...`), X_RAW_PATH_INFO the rest as sent.
  // Empty segments are dropped: `//host` would send the browser to another site.
  const segments = env("X_RAW_PATH_INFO").split("/").filter((s: string) => s.length > 0);
  const query = env("QUERY_STRING");
  const path = env("SCRIPT_NAME") + "/" + segments.join("/") + (segments.length > 0 ? "/" : "");
  const location = path + (query.length > 0 ? "?" + query : "");
  writeText("content-type: text/plain; charset=utf-8\nstatus: 308\nlocation: " + location + "\n\nMoved to " + location + "\n");
}

function serve(): void {
  const segments = env("PATH_INFO").split("/").filter((s: string) => s.length > 0);
  for (let i = 0; i < segments.length; i++) if (segments[i] == "..") return notFound();
  let path = segments.join("/");
  let file = open(path.length > 0 ? path : ".");
  if (file >= 0 && stat(file).filetype == filetype.DIRECTORY) {
    fd_close(<fd>file);
    if (!env("X_RAW_PATH_INFO").endsWith("/")) return redirectToDirectory();
    path = path.length > 0 ? path + "/index.html" : "index.html";
    file = open(path);
  }
  if (file < 0) return notFound();
  const st = stat(file);
  if (st.filetype != filetype.REGULAR_FILE) {
    fd_close(<fd>file);
    return notFound();
  }
  const etag = '"' + st.size.toString(16) + "-" + st.mtim.toString(16) + '"';
  const head = "content-type: " + contentType(path) + "\netag: " + etag + "\n";
  if (env("HTTP_IF_NONE_MATCH") == etag) {
    fd_close(<fd>file);
    return writeText(head + "status: 304\n\n");
  }
  writeText(head + "content-length: " + st.size.toString() + "\n\n");
  if (env("REQUEST_METHOD") != "HEAD") {
    const buffer = heap.alloc(CHUNK);
    const iov = memory.data(8);
    const read = memory.data(4);
    for (;;) {
      store<u32>(iov, <u32>buffer);
      store<u32>(iov, CHUNK, 4);
      if (fd_read(<fd>file, iov, 1, read) != errno.SUCCESS) break;
      const n = <usize>load<u32>(read);
      if (n == 0) break;
      writeBytes(buffer, n);
    }
  }
  fd_close(<fd>file);
}

serve();
