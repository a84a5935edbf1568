//! An HTTP handler for Wisp under WAGI: the request arrives as CGI variables (and the body on
//! stdin); the response is headers, a blank line, then the body, on stdout.
use std::env;

fn main() {
    let path = env::var("PATH_INFO").unwrap_or_default();
    println!("content-type: text/plain\n");
    println!("Hello from {{name}}!");
    println!("path info: {path}");
}
