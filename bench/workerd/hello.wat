;; The WebAssembly hello workerd serves: its answer is in its memory, `hello` returns its length.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from wasm\n")
  (func (export "hello") (result i32) (i32.const 16)))
