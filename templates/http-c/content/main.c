// An HTTP handler for Wisp under WAGI: the request arrives as CGI variables (and the body on
// stdin); the response is headers, a blank line, then the body, on stdout.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  const char *path = getenv("PATH_INFO");
  const char *query = getenv("QUERY_STRING");
  printf("content-type: text/plain\n\n");
  printf("Hello from {{name}}!\n");
  printf("path info: %s\nquery: %s\n", path ? path : "", query ? query : "");
  return 0;
}
