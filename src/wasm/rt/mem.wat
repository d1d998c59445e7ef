;; Memory: one bump allocator, reset at every call. `$floor` protects what must
;; outlive a rule evaluation (the model, growing buffers, exception matches): the
;; runner releases each evaluation's temporaries down to the floor, never below it.

(global $heap (mut i32) (i32.const 0))
(global $floor (mut i32) (i32.const 0))
(global $result_ptr (mut i32) (i32.const 0))
(global $result_len (mut i32) (i32.const 0))

;; Out of memory: point the result at a static error object, then trap. A host
;; that catches the trap can still read the result.
(func $oom
  (global.set $result_ptr (i32.const %OOM_MSG%))
  (global.set $result_len (i32.const %OOM_MSG_LEN%))
  (unreachable))

;; Make sure memory reaches byte `$end`.
(global $mem_end (mut i32) (i32.const 0))

;; Memory size in bytes, capped below 4 GiB (for the allocator's fast path).
(func $sync_mem_end
  (global.set $mem_end (select (i32.const 0xFFFF0000) (i32.shl (memory.size) (i32.const 16))
    (i32.ge_u (memory.size) (i32.const 65535)))))

(func $ensure (param $end i32)
  (local $have i64) (local $need i64) (local $pages i32)
  (call $sync_mem_end)
  (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
  (if (i64.le_u (i64.extend_i32_u (local.get $end)) (local.get $have)) (then (return)))
  (local.set $need (i64.sub (i64.extend_i32_u (local.get $end)) (local.get $have)))
  (local.set $pages (i32.wrap_i64 (i64.shr_u (i64.add (local.get $need) (i64.const 65535)) (i64.const 16))))
  ;; Grow in steps of at least 4 MiB; fall back to the exact need near a cap.
  (if (i32.ge_s (memory.grow (select (local.get $pages) (i32.const 64) (i32.gt_u (local.get $pages) (i32.const 64)))) (i32.const 0))
    (then (call $sync_mem_end) (return)))
  (if (i32.ge_s (memory.grow (local.get $pages)) (i32.const 0)) (then (call $sync_mem_end) (return)))
  (call $oom))

(func $alloc (param $n i32) (result i32)
  (local $p i32) (local $end i32)
  (local.set $p (global.get $heap))
  (local.set $end (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 7)) (i32.const -8)))
  ;; Fast path: within memory already grown (and no wrap-around).
  (if (i32.and (i32.le_u (local.get $end) (global.get $mem_end)) (i32.ge_u (local.get $end) (local.get $p)))
    (then (global.set $heap (local.get $end)) (return (local.get $p))))
  (if (i32.gt_u (local.get $n) (i32.const 0x7ff00000)) (then (call $oom)))
  (if (i32.lt_u (local.get $end) (local.get $p)) (then (call $oom)))
  (call $ensure (local.get $end))
  (global.set $heap (local.get $end))
  (local.get $p))

;; An allocation that survives `$release`.
(func $alloc_p (param $n i32) (result i32)
  (local $p i32)
  (local.set $p (call $alloc (local.get $n)))
  (global.set $floor (global.get $heap))
  (local.get $p))

(func $release (param $mark i32)
  (global.set $heap (select (local.get $mark) (global.get $floor)
    (i32.gt_u (local.get $mark) (global.get $floor)))))

;; ---------------------------------------------------------------- values
;; A value is an i64: tag in the high half, payload (an immediate or a pointer)
;; in the low half. Tags mirror `eval::Value`; see `src/wasm/layout.rs`.

(func $mk (param $tag i32) (param $p i32) (result i64)
  (i64.or (i64.shl (i64.extend_i32_u (local.get $tag)) (i64.const 32))
          (i64.extend_i32_u (local.get $p))))

;; A value's tag is `(i32.wrap_i64 (i64.shr_u v (i64.const 32)))` and its payload
;; `(i32.wrap_i64 v)`, written out where they are used: wasmtime does not inline, and as
;; calls these two were the module's most frequent (on 100,000 resources, writing them
;; out took the engine from 3.8-4.4 s to 3.1 s end to end).

(func $mk_bool (param $b i32) (result i64)
  (call $mk (i32.const %TAG_BOOL%) (local.get $b)))

(func $mk_int (param $i i64) (result i64)
  (local $p i32)
  (local.set $p (call $alloc (i32.const 8)))
  (i64.store (local.get $p) (local.get $i))
  (call $mk (i32.const %TAG_INT%) (local.get $p)))

(func $int_of (param $v i64) (result i64)
  (i64.load (i32.wrap_i64 (local.get $v))))

(func $mk_str (param $h i32) (result i64)
  (call $mk (i32.const %TAG_STR%) (local.get $h)))

;; Tri-state truth values: 0 false, 1 true, 2 unknown.
(func $from_tri (param $t i32) (result i64)
  (if (result i64) (i32.eq (local.get $t) (i32.const 2))
    (then (i64.const %V_UNKNOWN%))
    (else (call $mk_bool (local.get $t)))))

;; Lists and sets: [count][pad][i64 values...].
(func $list_new (param $n i32) (result i32)
  (local $p i32)
  (if (i32.gt_u (local.get $n) (i32.const 0x0ff00000)) (then (call $oom)))
  (local.set $p (call $alloc (i32.add (i32.const 8) (i32.shl (local.get $n) (i32.const 3)))))
  (i32.store (local.get $p) (local.get $n))
  (local.get $p))

(func $list_get (param $l i32) (param $i i32) (result i64)
  (i64.load offset=8 (i32.add (local.get $l) (i32.shl (local.get $i) (i32.const 3)))))

(func $list_set (param $l i32) (param $i i32) (param $v i64)
  (i64.store offset=8 (i32.add (local.get $l) (i32.shl (local.get $i) (i32.const 3))) (local.get $v)))
