// workerd's JavaScript hello: the same answer as the plain Node server.
export default {
  fetch() {
    return new Response("hello from JS\n", { headers: { "content-type": "text/plain" } });
  },
};
