// An HTTP handler for Wisp in AssemblyScript, under WAGI: the request arrives as CGI variables,
// the response is headers, a blank line, then the body, on stdout.
const path = process.env.has("PATH_INFO") ? process.env.get("PATH_INFO") : "";
console.log("content-type: text/plain\n");
console.log("Hello from {{name}}!");
console.log("path info: " + path);
